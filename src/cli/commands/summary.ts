import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GherkinDocument } from '@cucumber/messages';
import { catalogueFromDocuments } from '../../catalogue/catalogue.js';
import { loadSpec } from '../../catalogue/spec.js';
import { buildReport } from '../../report/build.js';
import { readHarnessInfo } from '../../report/harness.js';
import { renderMarkdown } from '../../report/markdown.js';
import { parseMessages } from '../../report/ndjson.js';
import { isProfile, type ConformanceReport, type ImplementationSummary, type Profile } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { CUCUMBER_OUTPUTS } from '../cucumber.js';
import { EXIT, ExitError, exitForOutcome } from '../exit.js';
import { writeLine } from '../io.js';
import { applyExpectations, ExpectationsFileError, loadExpectations, type ExpectationsFile } from '../../expectations/index.js';

/** An unreadable or invalid expectations file is a usage error, as it is for `run`. */
async function expectations(file: string, context: CommandContext): Promise<ExpectationsFile> {
  try {
    return (await loadExpectations(file, context.io.cwd)).content!;
  } catch (error) {
    if (!(error instanceof ExpectationsFileError)) throw error;
    writeLine(context.io.stderr, error.message);
    throw new ExitError(EXIT.USAGE, error.message);
  }
}

export interface SummaryOptions {
  /** The output directory of a run, relative to the cwd. */
  readonly dir: string;
  /** Overrides the profile the run's conformance.json names (default `normative`). */
  readonly profile?: Profile;
  /** An expectations file to apply, as `run --expect` does, so both judge a run alike. */
  readonly expect?: string;
}

interface PreviousReport {
  readonly implementation?: ImplementationSummary;
  readonly profile?: Profile;
  readonly generatedAt?: string;
  readonly scope?: { halves: readonly string[]; narrowedBy?: string };
  readonly required?: readonly string[];
}

async function readPrevious(file: string): Promise<PreviousReport> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const impl = json['implementation'] as Record<string, unknown> | undefined;
    const out: { -readonly [K in keyof PreviousReport]: PreviousReport[K] } = {};
    if (impl && typeof impl['name'] === 'string' && typeof impl['version'] === 'string' && typeof impl['language'] === 'string') {
      const capabilities = impl['capabilities'];
      out.implementation = {
        name: impl['name'],
        version: impl['version'],
        language: impl['language'],
        ...(typeof capabilities === 'object' && capabilities !== null ? { capabilities: capabilities as Record<string, boolean> } : {}),
      };
    }
    const scope = json['scope'] as { halves?: unknown; narrowedBy?: unknown } | undefined;
    if (scope !== undefined && Array.isArray(scope.halves)) {
      out.scope = { halves: scope.halves.map(String), ...(typeof scope.narrowedBy === 'string' ? { narrowedBy: scope.narrowedBy } : {}) };
    }
    const required = (json['capabilities'] as { required?: unknown } | undefined)?.required;
    if (Array.isArray(required) && required.length > 0) out.required = required.map(String);
    if (typeof json['profile'] === 'string' && isProfile(json['profile'])) out.profile = json['profile'];
    if (typeof json['generatedAt'] === 'string') out.generatedAt = json['generatedAt'];
    return out;
  } catch {
    return {};
  }
}

/**
 * `summary <dir>`: re-derives the report from `<dir>/messages.ndjson` and prints its Markdown.
 * The catalogue comes from the GherkinDocuments inside the messages (what that run saw), the
 * implementation header and profile from `<dir>/conformance.json` when it is there. Exit codes
 * as for `run`; a directory without messages.ndjson is a harness error (2): nothing was measured.
 */
export async function summaryCommand(options: SummaryOptions, context: CommandContext): Promise<ConformanceReport> {
  const { io } = context;
  const dir = path.resolve(io.cwd, options.dir);
  const file = path.join(dir, CUCUMBER_OUTPUTS.message);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    writeLine(io.stderr, `cannot read ${file}: ${(error as Error).message}`);
    throw new ExitError(EXIT.HARNESS_ERROR, 'no messages');
  }
  const parsed = parseMessages(text, CUCUMBER_OUTPUTS.message);
  const documents = parsed.envelopes.flatMap((e) =>
    e.gherkinDocument ? [{ uri: e.gherkinDocument.uri ?? 'unknown', document: e.gherkinDocument as GherkinDocument }] : [],
  );
  const previous = await readPrevious(path.join(dir, 'conformance.json'));
  const spec = (await loadSpec(path.join(context.root, 'spec'), { root: context.root })).statements;
  const measured = buildReport({
    catalogue: catalogueFromDocuments(documents),
    ...(spec.size > 0 ? { spec } : {}),
    envelopes: parsed.envelopes,
    harness: await readHarnessInfo(context.root),
    implementation: previous.implementation ?? { name: 'unknown implementation', version: 'unknown', language: 'unknown' },
    profile: options.profile ?? previous.profile ?? 'normative',
    generatedAt: (context.now?.() ?? new Date()).toISOString(),
    problems: parsed.problems,
    ...(previous.scope !== undefined ? { scope: previous.scope } : {}),
    ...(previous.required !== undefined ? { required: previous.required } : {}),
  });
  const report = options.expect === undefined ? measured : applyExpectations(measured, await expectations(options.expect, context), options.expect);
  io.stdout.write(renderMarkdown(report));
  for (const problem of report.problems) writeLine(io.stderr, `problem: ${problem.message}`);
  exitForOutcome(report.outcome);
  return report;
}
