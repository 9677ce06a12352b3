/**
 * The test run's temporary files go under a directory of its own (test/globalSetup.ts), removed
 * when the run ends: here, in a worker, and in a process a test starts.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_RUN_TMP_PREFIX } from './globalSetup.js';

describe("the test run's temporary directory", () => {
  it('is where a test and the processes it starts make their temporary files', () => {
    expect(path.basename(os.tmpdir())).toMatch(new RegExp(`^${TEST_RUN_TMP_PREFIX}`));
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' });
    expect(child).toBe(os.tmpdir());
  });
});
