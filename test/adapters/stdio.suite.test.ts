/**
 * The proof that the protocol is complete: the whole suite, run by the compiled CLI against the
 * reference model served over the protocol (`cmd:node dist/src/cli/serve.js inproc:reference`),
 * passes in the strict profile exactly as it does in-process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import type { ConformanceReport } from '../../src/report/types.js';
import { ROOT } from './_stdioFake.js';

describe('the suite over the plug-in protocol', () => {
  it('passes every rule in the strict profile with the served reference model', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'vmbus-served-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli/main.js'), 'run', '--impl', 'cmd:node dist/src/cli/serve.js inproc:reference', '--profile', 'strict', '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(code, output).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.implementation.name).toBe(REFERENCE_INFO.name);
    expect(report.rules.length).toBeGreaterThanOrEqual(78);
    expect(report.rules.filter((rule) => rule.verdict !== 'pass').map((rule) => `${rule.id}: ${rule.verdict}`)).toEqual([]);
    expect(output).toMatch(/result: CONFORMANT \(profile strict\)/);
  });
});
