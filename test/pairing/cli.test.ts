/**
 * `run --guest` and `--host` from the command line: a half is named by any connectable, a side not
 * given is the reference's half, and a program that cannot serve the role asked of it is a usage
 * error (exit 3) that says what it serves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/report/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
// A guest-only program: the reference model served as its guest half alone.
const GUEST_ONLY = 'module:dist/implementations/faulty/guestTraceHidesBodyNumbers.js';
let out = '';

function run(...args: string[]): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [CLI, 'run', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);
  out = mkdtempSync(path.join(tmpdir(), 'vmbus-halves-cli-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('run --guest and --host', () => {
  it('pairs a guest with the reference host when no --host is given, and judges the guest only', () => {
    const { output } = run('--guest', GUEST_ONLY, '--tags', '@CREATE-19 or @MAP-01', '--out', path.join(out, 'pair'));
    const report = JSON.parse(readFileSync(path.join(out, 'pair', 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.implementation.name, output).toBe('faulty:guestTraceHidesBodyNumbers (guest) × vmbus-conformance reference model (host)');
    expect(report.rules.map((rule) => rule.id)).toContain('CREATE-19');
    expect(report.rules.map((rule) => rule.id), 'MAP-01 judges the host, which the reference plays').not.toContain('MAP-01');
    // The fake's lie is on the wire the harness carried: caught here, though its own trace is clean.
    expect(report.rules.find((rule) => rule.id === 'CREATE-19')?.verdict).toBe('fail');
  });

  it.each([
    ['a guest half', '--guest', 'guest.setRingBufferPageCount', '@CHAN-07 or @CHAN-09', 'CHAN-07', 'CHAN-09'],
    ['a host half', '--host', 'host.mapGpadl', '@MAP-01 or @CHAN-01', 'MAP-01', 'CHAN-01'],
  ])('reports %s that crashes as an error of that scenario only, and starts it again for the next', (_what, option, command, tags, crashed, next) => {
    const spec = `cmd:node implementations/faulty/stdio/misbehave.mjs --crash-on ${command}`;
    const dir = path.join(out, `crash-${option}`);
    const { code, output } = run(option, spec, '--tags', tags, '--out', dir);
    const report = JSON.parse(readFileSync(path.join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(code, output).toBe(2);
    expect(report.rules.find((rule) => rule.id === crashed)?.verdict).toBe('error');
    expect(report.rules.find((rule) => rule.id === next)?.verdict).toBe('pass');
  });

  it('refuses a program as a host when it serves only the guest half (exit 3, saying what it serves)', () => {
    const { code, output } = run('--host', GUEST_ONLY, '--out', path.join(out, 'host'));
    expect(code).toBe(3);
    expect(output).toMatch(/cannot be the host: it serves only the guest half/);
  });

  it('refuses a halves-only program as a whole implementation (exit 3), pointing at --guest and --host', () => {
    // The halves-only program is Linux's guest: without its build this must fail, and say why.
    const library = path.join(ROOT, 'implementations/linux-guest/build/liblinuxguest.so');
    if (!existsSync(library)) throw new Error(`${library} is missing: run implementations/linux-guest/build.sh (npm run build:linux-guest), as npm test and .ci/run do`);
    const { code, output } = run('--impl', 'cmd:implementations/linux-guest/run', '--out', path.join(out, 'whole'));
    expect(code).toBe(3);
    expect(output).toMatch(/serves only the guest half on its own: run it with --guest or --host/);
  });
});
