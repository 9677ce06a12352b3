import { loadCatalogue, type RuleEntry } from '../../catalogue/catalogue.js';
import type { CommandContext } from '../context.js';
import { EXIT, ExitError } from '../exit.js';
import { writeLine } from '../io.js';
import { suitePaths } from '../paths.js';

export interface ListRulesOptions {
  /** Print the catalogue as a JSON array of RuleEntry. */
  readonly json?: boolean;
}

/** One line per rule: id, level, source, title, in columns. */
export function formatRuleLines(rules: readonly RuleEntry[]): string[] {
  const idWidth = Math.max(2, ...rules.map((r) => r.id.length));
  return rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.level.padEnd(9)}  ${r.source}  ${r.title}`);
}

/**
 * `list-rules`: the catalogue of the package's features. Catalogue problems go to stderr and
 * make it exit 2 (after listing the rules that are well-formed).
 */
export async function listRulesCommand(options: ListRulesOptions, context: CommandContext): Promise<readonly RuleEntry[]> {
  const { io } = context;
  const catalogue = await loadCatalogue(suitePaths(context.root).featureDir, { root: context.root });
  if (options.json) writeLine(io.stdout, JSON.stringify(catalogue.rules, null, 2));
  else for (const line of formatRuleLines(catalogue.rules)) writeLine(io.stdout, line);
  for (const problem of catalogue.problems) writeLine(io.stderr, `problem: ${problem.message}`);
  if (catalogue.problems.length > 0) {
    throw new ExitError(EXIT.HARNESS_ERROR, `${catalogue.problems.length} catalogue problem(s)`);
  }
  return catalogue.rules;
}
