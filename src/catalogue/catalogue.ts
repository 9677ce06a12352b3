/**
 * The rule catalogue: every `Rule:` of `features/**\/*.feature`, with what its tags and
 * description say about it.
 *
 * Conventions the features follow (checked here; a feature that breaks one yields a located
 * {@link CatalogueProblem}, never a crash and never a silent pass):
 *
 * - Every scenario sits inside a `Rule:`; a scenario directly under `Feature:` is a problem, and so
 *   is a Rule without scenarios.
 * - Each Rule carries exactly one id tag matching `@[A-Z]+-\d{2}` (e.g. `@MAP-03`), unique across
 *   all feature files, and exactly one level tag, `@normative` or `@reference`.
 * - A Rule may carry any number of `@spec:<id>` (a statement of `spec/*.md` it rests on, e.g.
 *   `@spec:KMCL-MAP-6`; see spec/README.md), `@choice:G<n>` (a gap decision in the README's
 *   "Choices") and `@requires:<capability>` tags, where capability is one of `trace`,
 *   `violations`, `mdl`, `lifecycle`, `wireHost`, `migration`, `hostControl`. Scenarios and
 *   Features may carry `@requires:<capability>` too; a Feature's apply to each of its Rules. A tag
 *   that starts like one of these but does not match the pattern (`@spec:map-3`, `@choice:7`,
 *   `@requires:teleport`) is a problem, and so is the retired `@digest:<n>`; id and level tags on a
 *   scenario are a problem (they belong on the Rule). Whether a cited statement exists is checked
 *   against spec/ by the traceability test, not here.
 * - The Rule's description (the free text under `Rule:`) contains exactly one line
 *   `Source: <text>` (the spec ids and choices it cites, e.g. `spec KMCL-MAP-6; choice G4 (...)`).
 *   The rest of the description, trimmed, is the rule statement in the project's words.
 *
 * The same checks run on a parsed file ({@link parseFeature}) and on the GherkinDocument that
 * Cucumber's messages carry ({@link catalogueFromDocuments}), so a report re-derived from a run's
 * messages sees exactly the catalogue the run saw.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import type { GherkinDocument, Rule, Scenario, Tag } from '@cucumber/messages';
import type { JudgedHalf } from './judgedHalves.js';

/** The capabilities a `@requires:` tag may name (the keys of the contract's `Capabilities`). */
export const KNOWN_CAPABILITIES = ['trace', 'violations', 'mdl', 'lifecycle', 'wireHost', 'migration', 'hostControl'] as const;
export type KnownCapability = (typeof KNOWN_CAPABILITIES)[number];

export type RuleLevel = 'normative' | 'reference';

export { JUDGED_HALVES, type JudgedHalf } from './judgedHalves.js';
export const RULE_LEVELS: readonly RuleLevel[] = ['normative', 'reference'];

export interface ScenarioRef {
  readonly name: string;
  /** Line of the `Scenario:` keyword in the feature file. */
  readonly line: number;
  /** The scenario's own `@requires:` capabilities (the rule's apply too). */
  readonly requires: readonly string[];
}

export interface RuleEntry {
  /** The id tag without `@`, e.g. `MAP-03`. */
  readonly id: string;
  readonly level: RuleLevel;
  /** The `Rule:` name. */
  readonly title: string;
  /** The description without its Source line, trimmed. */
  readonly statement: string;
  /** The text after `Source:`. */
  readonly source: string;
  /** The feature file, relative to the catalogue root, with `/` separators. */
  readonly feature: string;
  readonly featureName: string;
  /** Line of the `Rule:` keyword. */
  readonly line: number;
  /** The spec statements it cites (`@spec:` tags), e.g. `KMCL-MAP-6`, in tag order. */
  readonly spec: readonly string[];
  /** Gap ids, e.g. `G4`. */
  readonly choices: readonly string[];
  readonly requires: readonly string[];
  /** The halves it judges, from its `@half:` tags. */
  readonly halves: readonly JudgedHalf[];
  readonly scenarios: readonly ScenarioRef[];
}

export type CatalogueProblemKind =
  | 'parse-error'
  | 'missing-id'
  | 'multiple-ids'
  | 'missing-level'
  | 'multiple-levels'
  | 'missing-source'
  | 'missing-half'
  | 'multiple-sources'
  | 'duplicate-rule-id'
  | 'scenario-outside-rule'
  | 'rule-without-scenarios'
  | 'unknown-capability'
  | 'malformed-tag'
  | 'misplaced-tag'
  | 'no-features'
  | 'read-error';

export interface CatalogueProblem {
  readonly kind: CatalogueProblemKind;
  readonly file: string;
  readonly line: number;
  /** `file:line: what is wrong`, ready to print. */
  readonly message: string;
}

export interface Catalogue {
  readonly rules: readonly RuleEntry[];
  readonly problems: readonly CatalogueProblem[];
}

export interface FeatureCatalogue {
  readonly rules: RuleEntry[];
  readonly problems: CatalogueProblem[];
}

const ID_TAG = /^@([A-Z]+-\d{2})$/;
const LEVEL_TAG = /^@(normative|reference)$/;
const SPEC_TAG = /^@spec:([A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-\d+)$/;
const CHOICE_TAG = /^@choice:(G\d+)$/;
const REQUIRES_TAG = /^@requires:(.*)$/;
const HALF_TAG = /^@half:(guest|host|whole)$/;
const SOURCE_LINE = /^\s*Source:(.*)$/;

function problem(kind: CatalogueProblemKind, file: string, line: number, text: string): CatalogueProblem {
  return { kind, file, line, message: `${file}:${line}: ${text}` };
}

const isKnownCapability = (name: string): name is KnownCapability =>
  (KNOWN_CAPABILITIES as readonly string[]).includes(name);

/** `@requires:` tags of a node; unknown capabilities are reported and left out. */
function requiresOf(tags: readonly Tag[], file: string, problems: CatalogueProblem[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const m = REQUIRES_TAG.exec(tag.name);
    if (!m) continue;
    const capability = m[1] ?? '';
    if (isKnownCapability(capability)) {
      if (!out.includes(capability)) out.push(capability);
    } else {
      problems.push(
        problem(
          'unknown-capability',
          file,
          tag.location.line,
          `unknown capability in ${tag.name} (known: ${KNOWN_CAPABILITIES.join(', ')})`,
        ),
      );
    }
  }
  return out;
}

function checkMalformed(tags: readonly Tag[], file: string, problems: CatalogueProblem[]): void {
  for (const tag of tags) {
    if (tag.name.startsWith('@digest:')) {
      problems.push(problem('malformed-tag', file, tag.location.line, `${tag.name}: @digest tags are retired; cite the statements of spec/ with @spec:<id> (spec/README.md)`));
    } else if (tag.name.startsWith('@spec:') && !SPEC_TAG.test(tag.name)) {
      problems.push(problem('malformed-tag', file, tag.location.line, `malformed spec tag ${tag.name} (expected @spec:<id>, e.g. @spec:KMCL-MAP-6)`));
    } else if (tag.name.startsWith('@half:') && !HALF_TAG.test(tag.name)) {
      problems.push(problem('malformed-tag', file, tag.location.line, `malformed half tag ${tag.name} (expected @half:guest, @half:host or @half:whole)`));
    } else if (tag.name.startsWith('@choice:') && !CHOICE_TAG.test(tag.name)) {
      problems.push(problem('malformed-tag', file, tag.location.line, `malformed choice tag ${tag.name} (expected @choice:G<number>)`));
    }
  }
}

function scenariosOfRule(rule: Rule): Scenario[] {
  const out: Scenario[] = [];
  for (const child of rule.children) if (child.scenario) out.push(child.scenario);
  return out;
}

function scenarioRef(scenario: Scenario, file: string, problems: CatalogueProblem[]): ScenarioRef {
  checkMalformed(scenario.tags, file, problems);
  for (const tag of scenario.tags) {
    if (ID_TAG.test(tag.name) || LEVEL_TAG.test(tag.name)) {
      problems.push(
        problem('misplaced-tag', file, tag.location.line, `${tag.name} on scenario "${scenario.name}": id and level tags belong on the Rule`),
      );
    }
  }
  return { name: scenario.name, line: scenario.location.line, requires: requiresOf(scenario.tags, file, problems) };
}

function splitDescription(description: string): { sources: string[]; statement: string } {
  const sources: string[] = [];
  const rest: string[] = [];
  for (const line of description.split(/\r?\n/)) {
    const m = SOURCE_LINE.exec(line);
    if (m) sources.push((m[1] ?? '').trim());
    else rest.push(line.trim());
  }
  return { sources, statement: rest.join('\n').trim() };
}

function ruleEntry(
  rule: Rule,
  file: string,
  featureName: string,
  problems: CatalogueProblem[],
  featureRequires: readonly string[],
): RuleEntry | undefined {
  const where = rule.location.line;
  const label = `Rule "${rule.name}"`;
  let ok = true;

  const ids = rule.tags.flatMap((t) => ID_TAG.exec(t.name)?.[1] ?? []);
  if (ids.length === 0) {
    problems.push(problem('missing-id', file, where, `${label} has no id tag (expected one tag like @MAP-03)`));
    ok = false;
  } else if (ids.length > 1) {
    problems.push(problem('multiple-ids', file, where, `${label} has ${ids.length} id tags (${ids.map((i) => `@${i}`).join(', ')}); expected exactly one`));
    ok = false;
  }

  const levels = rule.tags.flatMap((t) => LEVEL_TAG.exec(t.name)?.[1] ?? []) as RuleLevel[];
  if (levels.length === 0) {
    problems.push(problem('missing-level', file, where, `${label} has no level tag (expected @normative or @reference)`));
    ok = false;
  } else if (levels.length > 1) {
    problems.push(problem('multiple-levels', file, where, `${label} has ${levels.length} level tags (${levels.map((l) => `@${l}`).join(', ')}); expected exactly one`));
    ok = false;
  }

  const halves = [...new Set(rule.tags.flatMap((t) => (HALF_TAG.exec(t.name)?.[1] as JudgedHalf | undefined) ?? []))];
  if (halves.length === 0 || (halves.includes('whole') && halves.length > 1)) {
    problems.push(problem('missing-half', file, where, `${label} must say which half it judges: @half:guest and/or @half:host, or @half:whole alone`));
    ok = false;
  }

  const { sources, statement } = splitDescription(rule.description ?? '');
  const nonEmptySources = sources.filter((s) => s !== '');
  if (nonEmptySources.length === 0) {
    problems.push(problem('missing-source', file, where, `${label} has no "Source: <spec ids or choices>" line in its description`));
    ok = false;
  } else if (sources.length > 1) {
    problems.push(problem('multiple-sources', file, where, `${label} has ${sources.length} Source lines; expected exactly one`));
    ok = false;
  }

  checkMalformed(rule.tags, file, problems);
  const spec = rule.tags.flatMap((t) => SPEC_TAG.exec(t.name)?.[1] ?? []);
  const choices = rule.tags.flatMap((t) => CHOICE_TAG.exec(t.name)?.[1] ?? []);
  // A Feature's `@requires:` tags apply to every Rule in it, as Cucumber's tag inheritance does.
  const requires = [...new Set([...featureRequires, ...requiresOf(rule.tags, file, problems)])];

  const scenarios = scenariosOfRule(rule).map((s) => scenarioRef(s, file, problems));
  if (scenarios.length === 0) {
    problems.push(problem('rule-without-scenarios', file, where, `${label} has no scenarios`));
    ok = false;
  }

  if (!ok) return undefined;
  return {
    id: ids[0] as string,
    level: levels[0] as RuleLevel,
    title: rule.name,
    statement,
    source: nonEmptySources[0] as string,
    feature: file,
    featureName,
    line: where,
    spec: [...new Set(spec)],
    choices: [...new Set(choices)],
    requires,
    halves,
    scenarios,
  };
}

/**
 * The rules of one GherkinDocument and the problems in it. `file` is how messages name it.
 * Duplicate ids across documents are checked by {@link catalogueFromDocuments}.
 */
export function catalogueFromDocument(file: string, document: GherkinDocument): FeatureCatalogue {
  const rules: RuleEntry[] = [];
  const problems: CatalogueProblem[] = [];
  const feature = document.feature;
  if (!feature) return { rules, problems };
  for (const tag of feature.tags) {
    if (ID_TAG.test(tag.name) || LEVEL_TAG.test(tag.name)) {
      problems.push(problem('misplaced-tag', file, tag.location.line, `${tag.name} on Feature "${feature.name}": id and level tags belong on the Rule`));
    }
  }
  const featureRequires = requiresOf(feature.tags, file, problems);
  for (const child of feature.children) {
    if (child.scenario) {
      problems.push(
        problem('scenario-outside-rule', file, child.scenario.location.line, `Scenario "${child.scenario.name}" is not inside a Rule`),
      );
    } else if (child.rule) {
      const entry = ruleEntry(child.rule, file, feature.name, problems, featureRequires);
      if (entry) rules.push(entry);
    }
  }
  return { rules, problems };
}

/** Joins per-document catalogues and reports rule ids used twice (at the second use). */
export function mergeCatalogues(parts: readonly FeatureCatalogue[]): Catalogue {
  const rules: RuleEntry[] = [];
  const problems: CatalogueProblem[] = [];
  const seen = new Map<string, RuleEntry>();
  for (const part of parts) {
    problems.push(...part.problems);
    for (const rule of part.rules) {
      const first = seen.get(rule.id);
      if (first) {
        problems.push(
          problem('duplicate-rule-id', rule.feature, rule.line, `rule id @${rule.id} is already used at ${first.feature}:${first.line}`),
        );
        continue;
      }
      seen.set(rule.id, rule);
      rules.push(rule);
    }
  }
  return { rules, problems };
}

export function catalogueFromDocuments(documents: readonly { readonly uri: string; readonly document: GherkinDocument }[]): Catalogue {
  return mergeCatalogues(documents.map((d) => catalogueFromDocument(d.uri, d.document)));
}

interface LocatedError {
  readonly message: string;
  readonly location?: { readonly line: number; readonly column?: number };
}

function parseErrors(error: unknown): LocatedError[] {
  if (error && typeof error === 'object' && 'errors' in error && Array.isArray((error as { errors: unknown }).errors)) {
    const inner = (error as { errors: unknown[] }).errors;
    if (inner.length > 0) return inner.flatMap(parseErrors);
  }
  if (error instanceof Error) {
    const location = (error as { location?: { line?: unknown } }).location;
    return [
      typeof location?.line === 'number'
        ? { message: error.message, location: { line: location.line } }
        : { message: error.message },
    ];
  }
  return [{ message: String(error) }];
}

/** Parses one feature text. A Gherkin syntax error becomes a `parse-error` problem per error. */
export function parseFeature(file: string, text: string): FeatureCatalogue {
  let document: GherkinDocument;
  try {
    const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
    document = parser.parse(text);
  } catch (error) {
    return {
      rules: [],
      problems: parseErrors(error).map((e) => {
        const line = e.location?.line ?? 1;
        // Gherkin's messages already start with "(line:column): "; keep them, located once more for the file.
        return problem('parse-error', file, line, `Gherkin parse error: ${e.message}`);
      }),
    };
  }
  return catalogueFromDocument(file, document);
}

async function findFeatureFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findFeatureFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.feature')) out.push(full);
  }
  return out;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

export interface LoadCatalogueOptions {
  /**
   * Feature paths in the catalogue are relative to this directory. Defaults to the parent of
   * `featureDir`, so `<root>/features/gpadl/map.feature` is `features/gpadl/map.feature`, as
   * Cucumber names it when run from `<root>`.
   */
  readonly root?: string;
}

/** Parses every `*.feature` below `featureDir` (sorted by path) into one catalogue. */
export async function loadCatalogue(featureDir: string, options: LoadCatalogueOptions = {}): Promise<Catalogue> {
  const root = options.root ?? path.dirname(path.resolve(featureDir));
  const relative = (p: string): string => toPosix(path.relative(root, p));
  let files: string[];
  try {
    files = (await findFeatureFiles(featureDir)).sort();
  } catch (error) {
    return {
      rules: [],
      problems: [problem('read-error', relative(featureDir), 0, `cannot read the feature directory: ${(error as Error).message}`)],
    };
  }
  if (files.length === 0) {
    return { rules: [], problems: [problem('no-features', relative(featureDir), 0, 'no .feature files found')] };
  }
  const parts: FeatureCatalogue[] = [];
  for (const file of files) {
    const name = relative(file);
    try {
      parts.push(parseFeature(name, await readFile(file, 'utf8')));
    } catch (error) {
      parts.push({ rules: [], problems: [problem('read-error', name, 0, `cannot read: ${(error as Error).message}`)] });
    }
  }
  return mergeCatalogues(parts);
}
