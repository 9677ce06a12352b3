/**
 * The proof that the halves' protocol is complete: the whole suite, run by the compiled CLI on a
 * pairing whose guest, host or both are the reference model's halves served over the protocol
 * (`cmd:node dist/src/cli/serve.js inproc:reference`, one process serving both halves in the last
 * case), passes in the strict profile with every line checked against the schemas (`--validate`).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../selftest/_helpers/runs.js';

const SERVED = 'cmd:node dist/src/cli/serve.js inproc:reference';

describe('the suite over the plug-in protocol, halves', () => {
  it.each([
    ['a served guest half with the in-process reference host', SERVED, 'inproc:reference'],
    ['the in-process reference guest with a served host half', 'inproc:reference', SERVED],
    ['both halves served by one process', SERVED, SERVED],
  ])('passes every rule in the strict profile: %s', async (_name, guest, host) => {
    const out = await mkdtemp(path.join(tmpdir(), 'vmbus-served-halves-'));
    const { code, stdout, stderr, report } = await runCli(['run', '--guest', guest, '--host', host, '--profile', 'strict', '--validate', '--out', out]);
    const output = stdout + stderr;
    expect(code, output).toBe(0);
    expect(report.implementation.name).toMatch(/\(guest\) × .*\(host\)$/);
    expect(report.rules.length).toBeGreaterThanOrEqual(60);
    expect(report.rules.filter((rule) => rule.verdict !== 'pass').map((rule) => `${rule.id}: ${rule.verdict}`)).toEqual([]);
    expect(output).toMatch(/result: CONFORMANT \(profile strict\)/);
  }, 180_000); // each the whole suite through a child process, every line validated: 10 to 40 s on a loaded machine
});
