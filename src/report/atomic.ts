/**
 * Files written whole or not at all: the content goes to a temporary file beside the target,
 * which is then renamed over it (a rename within a directory is atomic on POSIX file systems), so
 * a reader, a second run or a Ctrl-C never sees a half-written report.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The temporary name for `file`: hidden, in the same directory, unique to this process and call. */
export function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** A temporary file name this module (or the Cucumber staging in src/cli/cucumber.ts) leaves behind only when killed. */
export const TEMPORARY_FILE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryName(file);
  try {
    await writeFile(temporary, data, typeof data === 'string' ? 'utf8' : undefined);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
