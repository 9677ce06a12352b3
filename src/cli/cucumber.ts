/**
 * Runs Cucumber through its JavaScript API with the suite's formatters.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfiguration, runCucumber, type IRunOptions, type ISupportCodeLibrary } from '@cucumber/cucumber/api';

/** The files Cucumber writes into the output directory, by formatter. */
export const CUCUMBER_OUTPUTS = {
  html: 'cucumber.html',
  message: 'messages.ndjson',
  junit: 'junit.xml',
} as const;

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
}

export interface CucumberRunResult {
  /** Cucumber's own verdict; the report decides conformance, not this. */
  readonly success: boolean;
  readonly messagesFile: string;
  /** Cucumber failed to start or crashed (bad configuration, a step file that does not load). */
  readonly error?: Error;
}

export type CucumberRunner = (request: CucumberRunRequest) => Promise<CucumberRunResult>;

/**
 * Support code libraries already loaded in this process, by cwd and import paths. Node imports a
 * step file once per process, so a second run that asked Cucumber to load the same files would
 * find no step definitions: it gets the first run's library instead, as Cucumber's API intends
 * (parallel workers load their own).
 */
const loadedSupport = new Map<string, ISupportCodeLibrary>();

export const runSuiteWithCucumber: CucumberRunner = async (request) => {
  const messagesFile = path.join(request.outDir, CUCUMBER_OUTPUTS.message);
  // Never report on a previous run's messages.
  await Promise.all(Object.values(CUCUMBER_OUTPUTS).map((f) => rm(path.join(request.outDir, f), { force: true })));
  const environment = {
    cwd: request.cwd,
    stdout: request.stdout,
    stderr: request.stderr,
    env: { ...request.env },
  };
  try {
    const { runConfiguration } = await loadConfiguration(
      {
        file: false,
        provided: {
          paths: [...request.paths],
          import: [...request.importPaths],
          ...(request.tags !== undefined && request.tags !== '' ? { tags: request.tags } : {}),
          ...(request.parallel !== undefined && request.parallel > 0 ? { parallel: request.parallel } : {}),
          worldParameters: { ...request.worldParameters },
        },
      },
      environment,
    );
    const supportKey = JSON.stringify([request.cwd, request.importPaths]);
    const support = loadedSupport.get(supportKey);
    const configuration: IRunOptions = {
      ...runConfiguration,
      support: support ?? runConfiguration.support,
      formats: {
        ...runConfiguration.formats,
        stdout: request.interactive ? 'progress' : 'summary',
        files: {
          [path.join(request.outDir, CUCUMBER_OUTPUTS.html)]: 'html',
          [messagesFile]: 'message',
          [path.join(request.outDir, CUCUMBER_OUTPUTS.junit)]: 'junit',
        },
        publish: false,
      },
    };
    const result = await runCucumber(configuration, environment);
    loadedSupport.set(supportKey, result.support);
    return { success: result.success, messagesFile };
  } catch (error) {
    return { success: false, messagesFile, error: error instanceof Error ? error : new Error(String(error)) };
  }
};
