/**
 * Runs Cucumber through its JavaScript API with the suite's formatters.
 *
 * Cucumber's three files are written under temporary names beside their targets and renamed into
 * place when the run ends, so that no reader sees half a report. A run that has to be abandoned
 * (a second signal while a step cannot be stopped) keeps the messages written so far, complete
 * lines only, and renders the HTML and JUnit reports again from them.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, loadSupport, runCucumber, type IRunOptions, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { temporaryName } from '../report/atomic.js';
import { parseMessages } from '../report/ndjson.js';
import { writeCucumberReports } from './replay.js';

/** The files Cucumber writes into the output directory, by formatter. */
export const CUCUMBER_OUTPUTS = {
  html: 'cucumber.html',
  message: 'messages.ndjson',
  junit: 'junit.xml',
} as const;

/** The environment variable that tells the support code of a parallel worker Cucumber's step timeout. */
export const STEP_TIMEOUT_ENV = 'VMBUS_CONFORMANCE_STEP_TIMEOUT_MS';

export interface CucumberRunRequest {
  /** Directory the feature and step globs are relative to (the package root). */
  readonly cwd: string;
  readonly paths: readonly string[];
  /** Step definitions and support code, loaded with `import()`. */
  readonly importPaths: readonly string[];
  /** Absolute output directory. */
  readonly outDir: string;
  /** A Cucumber tag expression. */
  readonly tags?: string;
  readonly worldParameters: Readonly<Record<string, string | number | boolean | null>>;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `progress` on stdout when true, the quiet `summary` otherwise. */
  readonly interactive: boolean;
  /** Cucumber's parallel worker processes; 0 or absent runs in this process. */
  readonly parallel?: number;
  /** Only shard `<index>/<total>` of the scenarios (Cucumber's `shard`, index from 1). */
  readonly shard?: string;
  /**
   * Cucumber's own step (and hook) timeout in milliseconds; absent: Cucumber's default. The CLI sets
   * it above what the per-call timeouts allow a step, so that it never fires first.
   */
  readonly stepTimeoutMs?: number;
  /** When this settles, stop waiting for Cucumber: keep what it wrote so far (the run is abandoned). */
  readonly abandon?: Promise<unknown>;
  /** Scenario name filters (regular expressions, Cucumber's `name`). */
  readonly names?: readonly string[];
  /** Stop at the first failing scenario (Cucumber's `failFast`): the rest are skipped. */
  readonly failFast?: boolean;
  /** Run nothing: match the steps only (Cucumber's `dryRun`). */
  readonly dryRun?: boolean;
  /** Sees every message of the run as it happens (the CLI's progress line). */
  readonly onMessage?: (envelope: Envelope) => void;
  /**
   * Cucumber's own formatter on stdout (`progress` or `summary`, which print stack traces); false:
   * none (the CLI prints its own progress and results). Default true.
   */
  readonly cucumberOutput?: boolean;
}

export interface CucumberRunResult {
  /** Cucumber's own verdict; the report decides conformance, not this. */
  readonly success: boolean;
  readonly messagesFile: string;
  /** Cucumber failed to start or crashed (bad configuration, a step file that does not load). */
  readonly error?: Error;
  /** The run was abandoned before Cucumber finished (see `abandon`). */
  readonly abandoned?: boolean;
  /**
   * Every message of a run that finished, in order: what `messagesFile` holds, without reading and
   * parsing it again. Absent when Cucumber broke or the run was abandoned: the file tells then.
   */
  readonly envelopes?: readonly Envelope[];
}

export type CucumberRunner = (request: CucumberRunRequest) => Promise<CucumberRunResult>;

/**
 * Support code libraries already loaded in this process, by cwd and import paths. Node imports a
 * step file once per process, so a second run that asked Cucumber to load the same files would
 * find no step definitions: it gets the first run's library instead, as Cucumber's API intends
 * (parallel workers load their own).
 */
const loadedSupport = new Map<string, ISupportCodeLibrary>();

const ABANDONED = Symbol('abandoned');

export const runSuiteWithCucumber: CucumberRunner = async (request) => {
  const final = {
    html: path.join(request.outDir, CUCUMBER_OUTPUTS.html),
    message: path.join(request.outDir, CUCUMBER_OUTPUTS.message),
    junit: path.join(request.outDir, CUCUMBER_OUTPUTS.junit),
  };
  const staged = { html: temporaryName(final.html), message: temporaryName(final.message), junit: temporaryName(final.junit) };
  const messagesFile = final.message;
  // Never report on a previous run's messages.
  await Promise.all(Object.values(final).map((f) => rm(f, { force: true })));
  const environment = {
    cwd: request.cwd,
    stdout: request.stdout,
    stderr: request.stderr,
    env: { ...request.env, ...(request.stepTimeoutMs !== undefined ? { [STEP_TIMEOUT_ENV]: String(request.stepTimeoutMs) } : {}) },
  };
  const parallel = request.parallel !== undefined && request.parallel > 0;
  try {
    const { runConfiguration } = await loadConfiguration(
      {
        file: false,
        provided: {
          paths: [...request.paths],
          import: [...request.importPaths],
          ...(request.tags !== undefined && request.tags !== '' ? { tags: request.tags } : {}),
          ...(parallel ? { parallel: request.parallel } : {}),
          ...(request.shard !== undefined ? { shard: request.shard } : {}),
          ...(request.names !== undefined && request.names.length > 0 ? { name: [...request.names] } : {}),
          ...(request.failFast === true ? { failFast: true } : {}),
          ...(request.dryRun === true ? { dryRun: true } : {}),
          worldParameters: { ...request.worldParameters },
        },
      },
      environment,
    );
    const supportKey = JSON.stringify([request.cwd, request.importPaths]);
    let support = loadedSupport.get(supportKey);
    if (support === undefined && !parallel) {
      support = await loadSupport({ sources: runConfiguration.sources, support: runConfiguration.support }, environment);
      loadedSupport.set(supportKey, support);
    }
    // The library reads its default timeout at every step: this run's, whatever an earlier run set.
    if (support !== undefined && request.stepTimeoutMs !== undefined) (support as unknown as { defaultTimeout: number }).defaultTimeout = request.stepTimeoutMs;
    const configuration: IRunOptions = {
      ...runConfiguration,
      support: support ?? runConfiguration.support,
      formats: {
        ...runConfiguration.formats,
        stdout: request.interactive ? 'progress' : 'summary',
        files: { [staged.html]: 'html', [staged.message]: 'message', [staged.junit]: 'junit' },
        publish: false,
      },
    };
    // Without Cucumber's own stdout formatter, its output goes nowhere (the CLI prints its own).
    const runEnvironment = request.cucumberOutput === false ? { ...environment, stdout: new Writable({ write: (_chunk, _encoding, done) => done() }) } : environment;
    // The report is built from these; the message formatter writes the same envelopes to the file.
    const envelopes: Envelope[] = [];
    const onMessage = request.onMessage;
    const running = runCucumber(configuration, runEnvironment, (envelope) => {
      envelopes.push(envelope);
      onMessage?.(envelope);
    });
    const outcome = await (request.abandon === undefined ? running : Promise.race([running, request.abandon.then((): typeof ABANDONED => ABANDONED)]));
    if (outcome === ABANDONED) {
      running.catch(() => undefined);
      await salvage(staged, final, request.outDir);
      return { success: false, messagesFile, abandoned: true };
    }
    if (!loadedSupport.has(supportKey) && !parallel) loadedSupport.set(supportKey, outcome.support);
    await Promise.all((Object.keys(final) as (keyof typeof final)[]).map((k) => (existsSync(staged[k]) ? rename(staged[k], final[k]) : undefined)));
    return { success: outcome.success, messagesFile, envelopes };
  } catch (error) {
    await Promise.all(Object.values(staged).map((f) => rm(f, { force: true })));
    return { success: false, messagesFile, error: error instanceof Error ? error : new Error(String(error)) };
  }
};

/**
 * What an abandoned run leaves: the messages Cucumber wrote so far (a last, partial line dropped),
 * and the HTML and JUnit reports rendered from them, all complete files.
 */
async function salvage(staged: Record<'html' | 'message' | 'junit', string>, _final: Record<'html' | 'message' | 'junit', string>, outDir: string): Promise<void> {
  let text = '';
  try {
    text = await readFile(staged.message, 'utf8');
  } catch {
    // Cucumber wrote nothing yet
  }
  const { envelopes } = parseMessages(text);
  // Cucumber may still write to the staged files: they are removed (its writes go nowhere) and
  // the reports written afresh under their final names.
  await Promise.all(Object.values(staged).map((f) => rm(f, { force: true })));
  await writeCucumberReports(envelopes, outDir, CUCUMBER_OUTPUTS);
}
