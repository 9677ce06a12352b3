/**
 * The interop matrix of real halves: the reference, Python and Linux guests by the reference and
 * Python hosts, in one run of the compiled CLI (`--guest` ×3, `--host` ×2), the harness carrying
 * the wire in every cell (docs/halves.md). Linux's guest is Linux 6.12's own drivers/hv code,
 * built from Debian's linux-source-6.12 by implementations/linux-guest/build.sh (.ci/run runs it).
 *
 * What it pins down:
 * - Python's guest with the reference host, and the reference guest with Python's host, pass the
 *   normative profile, each judged on its own half's rules only;
 * - Linux's guest with the reference host is conformant with its expectations file: it differs
 *   exactly where expectations/linux-guest.json says, and the run records the exact Debian package
 *   and its checksum;
 * - nothing errors in any cell: every difference is a measured failure;
 * - comparison.md holds the matrix, guests by hosts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/report/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const REFERENCE = 'inproc:reference';
const PYTHON = 'cmd:python3 implementations/python/vmbus_impl.py';
const LINUX = 'cmd:implementations/linux-guest/run';
const LINUX_LIBRARY = path.join(ROOT, 'implementations/linux-guest/build/liblinuxguest.so');

let out = '';
let code: number | null = null;
let log = '';
const reports = new Map<string, ConformanceReport>();
const cell = (guest: string, host: string): ConformanceReport => {
  const report = [...reports.values()].find((r) => r.implementation.name.startsWith(guest) && r.implementation.name.endsWith(`${host} (host)`));
  if (report === undefined) throw new Error(`no run of ${guest} with ${host}; runs: ${[...reports.keys()].join(', ')}`);
  return report;
};
const ruleIds = (report: ConformanceReport, verdict: string) => report.rules.filter((r) => r.verdict === verdict).map((r) => r.id);

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);
  // Needed, not optional: without Linux's guest this file must fail, not quietly pass.
  if (!existsSync(LINUX_LIBRARY)) throw new Error(`${LINUX_LIBRARY} is missing: run implementations/linux-guest/build.sh (npm run build:linux-guest), as npm test and .ci/run do`);
  out = await mkdtemp(path.join(tmpdir(), 'vmbus-interop-'));
  const args = [CLI, 'run', '--guest', REFERENCE, '--guest', PYTHON, '--guest', LINUX, '--host', REFERENCE, '--host', PYTHON, '--expect', 'expectations/linux-guest.json', '--out', out];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (!existsSync(path.join(out, 'comparison.md'))) throw new Error(`the run wrote no comparison.md (exit ${code}):\n${log}`);
  const comparison = await readFile(path.join(out, 'comparison.md'), 'utf8');
  for (const dir of comparison.matchAll(/\(([a-z0-9-]+)\/\)/g)) {
    const file = path.join(out, dir[1]!, 'conformance.json');
    if (existsSync(file)) reports.set(dir[1]!, JSON.parse(await readFile(file, 'utf8')) as ConformanceReport);
  }
}, 240_000);

afterAll(async () => {
  if (out !== '') await rm(out, { recursive: true, force: true });
});

const REF = 'vmbus-conformance reference model';
const PY = 'vmbus-python';
const LNX = 'Linux drivers/hv guest';

describe('the interop matrix: 3 guests by 2 hosts', () => {
  it('ran all six pairings, and its exit code is the worst of them (Linux with the Python host has no expectations)', async () => {
    expect(reports.size, log).toBe(6);
    expect(code, log).toBe(1);
    const comparison = await readFile(path.join(out, 'comparison.md'), 'utf8');
    expect(comparison).toContain('## Interop matrix');
    const section = comparison.slice(comparison.indexOf('## Interop matrix')).split('\n## ')[0]!;
    const rows = section.split('\n').filter((line) => line.startsWith('| '));
    expect(rows).toHaveLength(1 + 3);
    expect(rows[0]!.split(' | ')).toHaveLength(1 + 2);
  });

  it('errors nowhere: every difference is a measured failure', () => {
    for (const report of reports.values()) expect(ruleIds(report, 'error'), report.implementation.name).toEqual([]);
  });

  it("passes Python's guest with the reference host on every normative guest rule, judging nothing of the host", () => {
    const report = cell(PY, REF);
    expect(report.outcome).toBe('conformant');
    expect(report.rules.every((rule) => rule.halves.includes('guest'))).toBe(true);
    expect(report.rules.some((rule) => rule.id === 'WIRE-01')).toBe(true);
  });

  it("passes the reference guest with Python's host on every normative host rule, judging nothing of the guest", () => {
    const report = cell(REF, PY);
    expect(report.outcome).toBe('conformant');
    expect(report.rules.every((rule) => rule.halves.includes('host'))).toBe(true);
    expect(report.rules.some((rule) => rule.id === 'WIRE-01')).toBe(false);
  });

  it("is conformant for Linux's guest with the reference host, differing exactly where its expectations say", () => {
    const report = cell(LNX, REF);
    expect(report.outcome).toBe('conformant');
    expect(report.expectations?.file).toMatch(/linux-guest\.json$/);
    expect(ruleIds(report, 'fail')).toEqual([]);
    expect(ruleIds(report, 'unexpected-pass')).toEqual([]);
    expect(ruleIds(report, 'known-failure').length).toBeGreaterThan(0);
  });

  it('records the exact Debian package and its checksum in the report', async () => {
    const source = JSON.parse(await readFile(path.join(ROOT, 'implementations/linux-guest/build/linux-source.json'), 'utf8')) as { version: string; sha256: string };
    expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cell(LNX, REF).implementation.version).toContain(source.version);
    expect(cell(LNX, REF).implementation.version).toContain(source.sha256);
  });

  it("shows Linux's defect: with three creates waiting at a silent revoke, only the first returns (vmbus_rescind_cleanup)", () => {
    const rule = cell(LNX, REF).rules.find((r) => r.id === 'WIRE-17')!;
    const three = rule.scenarios.find((s) => /three creates/.test(s.name));
    expect(three?.message).toMatch(/has not completed/);
  });
});
