/**
 * One temporary directory for the whole test run, removed when it ends. Every test, and every
 * process a test starts, makes its temporary files under it: TMPDIR, which `os.tmpdir()` (and so
 * every `mkdtemp` here) and the programs the tests start honour. A run leaves nothing in the
 * system's temporary directory, whichever test does not clean up after itself or is cut short.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The prefix of the run's directory; test/tmpdir.test.ts checks that the tests are inside one. */
export const TEST_RUN_TMP_PREFIX = 'vmbus-conformance-tests-';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), TEST_RUN_TMP_PREFIX));
  const before = process.env['TMPDIR'];
  // Set before vitest starts its workers, which inherit it, as do the processes they start.
  process.env['TMPDIR'] = root;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    rmSync(root, { recursive: true, force: true });
  };
}
