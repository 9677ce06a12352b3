import type { Writable } from 'node:stream';

/**
 * What a command may touch of its process, injected so that tests can run commands in-process:
 * only `main.ts` fills this from `process`.
 */
export interface CliIo {
  /** Where relative paths given by the user start. */
  readonly cwd: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** stdout is a terminal (progress output is worth it). */
  readonly isTTY: boolean;
  /** Running under CI (quiet output). */
  readonly ci: boolean;
  /** Environment handed to Cucumber. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
