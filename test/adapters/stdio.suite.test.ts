/**
 * The proof that the protocol is complete: the whole suite, run by the compiled CLI against the
 * reference model served over the protocol (`cmd:node dist/src/cli/serve.js inproc:reference`),
 * passes in the strict profile exactly as it does in-process.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import { runCli } from '../selftest/_helpers/runs.js';

describe('the suite over the plug-in protocol', () => {
  it('passes every rule in the strict profile with the served reference model', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'vmbus-served-'));
    const { code, stdout, stderr, report } = await runCli(['run', '--impl', 'cmd:node dist/src/cli/serve.js inproc:reference', '--profile', 'strict', '--out', out]);
    const output = stdout + stderr;
    expect(code, output).toBe(0);
    expect(report.implementation.name).toBe(REFERENCE_INFO.name);
    expect(report.rules.length).toBeGreaterThanOrEqual(78);
    expect(report.rules.filter((rule) => rule.verdict !== 'pass').map((rule) => `${rule.id}: ${rule.verdict}`)).toEqual([]);
    expect(output).toMatch(/result: CONFORMANT \(profile strict\)/);
  }, 180_000); // the whole suite through a child process and the served model: 10 to 40 s on a loaded machine
});
