/**
 * The example workflow (examples/workflow.yml, the one docs/ci.md shows) run locally as written:
 * a small runner reads the workflow and the composite action (action.yml), evaluates their
 * `${{ }}` expressions, and runs every `run:` script of the action with bash, as GitHub's runner
 * would, in a temporary workspace: the matrix of shards, then the merge job. `actions/checkout` and
 * `actions/setup-node` are no-ops here (the workspace and Node exist), the artifact actions copy
 * directories, and the action's install step is skipped (this checkout is built already).
 *
 * It checks that the action's scripts pass the inputs to the tool, that every shard job succeeds
 * and uploads its reports, that the merge job combines them into a complete report (every rule
 * run), that the job summaries are written, and that the exit code passes through.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ConformanceReport } from '../../src/report/types.js';
import { PROJECT_ROOT } from '../report/tinySuite.js';

type Step = { id?: string; name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown>; if?: string; shell?: string; 'working-directory'?: string };
interface Job {
  needs?: string | string[];
  if?: string;
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}
interface Workflow {
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

interface Scope {
  env: Record<string, string>;
  matrix: Record<string, string>;
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  github: Record<string, string>;
  failed: boolean;
}

const WORKFLOW = parse(await readFile(path.join(PROJECT_ROOT, 'examples', 'workflow.yml'), 'utf8')) as Workflow;
const ACTION = parse(await readFile(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as Action;

/** The value of `a.b.c` in the scope ('' when absent, as GitHub has it). */
function lookup(scope: Scope, name: string): string {
  const [head, ...rest] = name.split('.');
  let value: unknown = scope[head as keyof Scope];
  for (const part of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value === undefined || value === null ? '' : String(value);
}

/** A GitHub expression (the subset the workflow and the action use) to a value. */
function evaluate(expression: string, scope: Scope): unknown {
  const js = expression
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => {
      if (i % 2 === 1) return JSON.stringify(part.slice(1, -1).replace(/''/g, "'"));
      return part
        .replace(/\b(always|cancelled|success|failure)\(\)/g, (_, fn: string) => ({ always: 'true', cancelled: 'false', success: String(!scope.failed), failure: String(scope.failed) })[fn]!)
        .replace(/==/g, '===')
        .replace(/!===/g, '!==')
        .replace(/\b(env|matrix|inputs|steps|github)((?:\.[A-Za-z_][\w-]*)+)/g, (name) => JSON.stringify(lookup(scope, name)));
    })
    .join('');
  return new Function(`return (${js});`)() as unknown;
}

/** `${{ }}` spliced into text. */
function interpolate(text: unknown, scope: Scope): string {
  return String(text ?? '').replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => String(evaluate(expression, scope)));
}

function condition(text: string | undefined, scope: Scope): boolean {
  if (text === undefined) return !scope.failed;
  const expression = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  const value = Boolean(evaluate(expression, scope));
  // GitHub adds success() to a condition without a status function.
  return /\b(always|cancelled|success|failure)\(\)/.test(expression) ? value : value && !scope.failed;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function readOutputs(file: string): Promise<Record<string, string>> {
  const text = existsSync(file) ? await readFile(file, 'utf8') : '';
  return Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

interface Runner {
  readonly workspace: string;
  readonly artifacts: string;
  readonly temp: string;
  readonly logs: string[];
}

let counter = 0;
async function runScript(step: Step, scope: Scope, runner: Runner, cwd: string, extraEnv: Record<string, string>): Promise<{ code: number; outputs: Record<string, string> }> {
  const outputFile = path.join(runner.temp, `output-${++counter}`);
  await writeFile(outputFile, '');
  const env: Record<string, string> = { ...scope.env, ...extraEnv, GITHUB_OUTPUT: outputFile, CI: 'true' };
  for (const [key, value] of Object.entries(step.env ?? {})) env[key] = interpolate(value, scope);
  const { code, output } = await bash(step.run!, cwd, env);
  runner.logs.push(`$ ${step.name ?? step.run!.split('\n')[0]}\n${output}`);
  return { code, outputs: await readOutputs(outputFile) };
}

/** The composite action, as the runner runs it for one `uses:` step. */
async function runAction(withInputs: Record<string, string>, runner: Runner, summary: string, outer: Scope): Promise<{ code: number; outputs: Record<string, string> }> {
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(ACTION.inputs)) inputs[name] = withInputs[name] ?? input.default ?? '';
  const scope: Scope = { env: outer.env, matrix: outer.matrix, inputs, steps: {}, github: { action_path: PROJECT_ROOT, workspace: runner.workspace }, failed: false };
  let code = 0;
  for (const step of ACTION.runs.steps) {
    if (!condition(step.if, scope)) continue;
    // The install: this checkout is built already (npm test builds it first).
    if (step.run !== undefined && /\bnpm ci\b/.test(step.run)) continue;
    if (step.uses !== undefined) {
      await runUses(step, scope, runner);
      continue;
    }
    const cwd = step['working-directory'] !== undefined ? interpolate(step['working-directory'], scope) : runner.workspace;
    const result = await runScript(step, scope, runner, cwd, { GITHUB_ACTION_PATH: PROJECT_ROOT, GITHUB_WORKSPACE: runner.workspace, GITHUB_STEP_SUMMARY: summary });
    if (step.id !== undefined) scope.steps[step.id] = { outputs: result.outputs, outcome: result.code === 0 ? 'success' : 'failure' };
    if (result.code !== 0) {
      scope.failed = true;
      code = result.code;
    }
  }
  const outputs = Object.fromEntries(Object.entries(ACTION.outputs).map(([name, output]) => [name, interpolate(output.value, scope)]));
  return { code, outputs };
}

const globToRegExp = (glob: string) => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** A `uses:` step other than this action: the artifact actions copy directories; checkout and setup-node have nothing to do. */
async function runUses(step: Step, scope: Scope, runner: Runner): Promise<void> {
  const uses = step.uses!;
  const args = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, scope)]));
  if (uses.startsWith('actions/upload-artifact@')) {
    const from = path.join(runner.workspace, args['path']!);
    if (existsSync(from)) await cp(from, path.join(runner.artifacts, args['name']!), { recursive: true });
  } else if (uses.startsWith('actions/download-artifact@')) {
    const pattern = globToRegExp(args['pattern'] ?? '*');
    for (const name of (await readdir(runner.artifacts)).filter((n) => pattern.test(n))) {
      await cp(path.join(runner.artifacts, name), path.join(runner.workspace, args['path'] ?? '.', name), { recursive: true });
    }
  } else if (!/^actions\/(checkout|setup-node)@/.test(uses)) {
    throw new Error(`the local runner does not know ${uses}`);
  }
}

const isThisAction = (uses: string | undefined) => uses !== undefined && (/(^|\/)vmbus-conformance@/.test(uses) || uses === './');

interface JobResult {
  readonly code: number;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** One job (one matrix combination) in its own workspace directory. */
async function runJob(job: Job, matrix: Record<string, string>, runner: Runner): Promise<JobResult> {
  const summary = path.join(runner.temp, `summary-${++counter}.md`);
  await writeFile(summary, '');
  const scope: Scope = { env: {}, matrix, inputs: {}, steps: {}, github: { workspace: runner.workspace }, failed: false };
  for (const [key, value] of Object.entries(WORKFLOW.env ?? {})) scope.env[key] = interpolate(value, scope);
  let code = 0;
  let outputs: Record<string, string> = {};
  for (const step of job.steps) {
    if (!condition(step.if, scope)) continue;
    if (isThisAction(step.uses)) {
      const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, scope)]));
      const result = await runAction(withInputs, runner, summary, scope);
      outputs = result.outputs;
      if (step.id !== undefined) scope.steps[step.id] = { outputs, outcome: result.code === 0 ? 'success' : 'failure' };
      if (result.code !== 0) {
        scope.failed = true;
        code = result.code;
      }
    } else if (step.uses !== undefined) {
      await runUses(step, scope, runner);
    } else if (step.run !== undefined) {
      const result = await runScript(step, scope, runner, runner.workspace, { GITHUB_WORKSPACE: runner.workspace, GITHUB_STEP_SUMMARY: summary });
      if (result.code !== 0) {
        scope.failed = true;
        code = result.code;
      }
    }
  }
  return { code, outputs, summary: await readFile(summary, 'utf8') };
}

/** Every combination of a job's matrix. */
function combinations(matrix: Record<string, unknown[]> | undefined): Record<string, string>[] {
  let all: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix ?? {})) all = all.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })));
  return all;
}

const work: string[] = [];
afterAll(async () => {
  await Promise.all(work.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the example workflow, run locally as written', () => {
  it('three shard jobs through the action, then the merge job: one complete report, exit 0, job summaries written', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vmbus-workflow-'));
    work.push(root);
    const runner: Runner = { workspace: path.join(root, 'workspace'), artifacts: path.join(root, 'artifacts'), temp: path.join(root, 'temp'), logs: [] };
    for (const dir of [runner.workspace, runner.artifacts, runner.temp]) await mkdir(dir);

    const shardJob = WORKFLOW.jobs['conformance']!;
    const mergeJob = WORKFLOW.jobs['merge']!;
    expect(mergeJob.needs).toBe('conformance');
    const shards = combinations(shardJob.strategy?.matrix);
    expect(shards.map((c) => c['shard'])).toEqual(['1', '2', '3']);
    expect(String(WORKFLOW.env?.['SHARDS'])).toBe(String(shards.length));

    const results = await Promise.all(shards.map((matrix) => runJob(shardJob, matrix, runner)));
    const log = () => runner.logs.join('\n');
    for (const [i, result] of results.entries()) {
      expect(result.code, log()).toBe(0);
      expect(result.outputs['exit-code']).toBe('0');
      expect(result.outputs['artifact-name']).toBe(`vmbus-conformance-shard-${i + 1}`);
      // summary: 'false' in the workflow: the shards leave the job summary to the merge.
      expect(result.summary).toBe('');
    }
    expect((await readdir(runner.artifacts)).sort()).toEqual(['vmbus-conformance-shard-1', 'vmbus-conformance-shard-2', 'vmbus-conformance-shard-3']);
    const shardReport = JSON.parse(await readFile(path.join(runner.artifacts, 'vmbus-conformance-shard-2', 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(shardReport.run.shard).toBe('2/3');

    // The merge job: needs the shards, runs unless cancelled.
    expect(condition(mergeJob.if, { env: {}, matrix: {}, inputs: {}, steps: {}, github: {}, failed: true })).toBe(true);
    const merged = await runJob(mergeJob, {}, runner);
    expect(merged.code, log()).toBe(0);
    expect(merged.outputs['exit-code']).toBe('0');
    const out = path.join(runner.workspace, 'vmbus-conformance-reports');
    const report = JSON.parse(await readFile(path.join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.outcome).toBe('conformant');
    expect(report.rules.filter((r) => r.verdict === 'not-run').map((r) => r.id)).toEqual([]);
    expect(report.run.shard).toBeUndefined();
    for (const file of ['conformance.md', 'cucumber.html', 'junit.xml', 'messages.ndjson']) expect(existsSync(path.join(out, file)), file).toBe(true);
    expect(merged.summary).toContain('CONFORMANT');
    expect(merged.summary).toBe(`${await readFile(path.join(out, 'summary.md'), 'utf8')}\n`);
    expect(existsSync(path.join(runner.artifacts, 'vmbus-conformance-reports', 'conformance.json'))).toBe(true);
  }, 180_000);

  it('the action passes the exit code through and still writes the summary and uploads the reports', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vmbus-workflow-'));
    work.push(root);
    const runner: Runner = { workspace: path.join(root, 'workspace'), artifacts: path.join(root, 'artifacts'), temp: path.join(root, 'temp'), logs: [] };
    for (const dir of [runner.workspace, runner.artifacts, runner.temp]) await mkdir(dir);
    const job: Job = {
      steps: [
        { uses: './', with: { impl: `module:${path.join(PROJECT_ROOT, 'test', 'cli', 'fixtures', 'allowsDoubleMap.ts')}`, args: '--tags "@MAP-04 or @MAP-05"', out: 'narrow' } },
        { uses: './', with: { impl: 'inproc:nope', out: 'usage' } },
      ],
    };
    const summary = path.join(runner.temp, 'summary.md');
    await writeFile(summary, '');
    const scope: Scope = { env: {}, matrix: {}, inputs: {}, steps: {}, github: {}, failed: false };
    // A module that allows a double map fails MAP-04: exit 1, passed through.
    const narrow = await runAction(job.steps[0]!.with as Record<string, string>, runner, summary, scope);
    expect(narrow.code, runner.logs.join('\n')).toBe(1);
    expect(narrow.outputs['exit-code']).toBe('1');
    expect(runner.logs.join('\n')).toMatch(/vmbus-conformance run --impl module:\S+allowsDoubleMap\.ts --out narrow --tags @MAP-04 or @MAP-05/);
    expect(await readFile(summary, 'utf8')).toContain('MAP-04');
    expect(existsSync(path.join(runner.artifacts, 'vmbus-conformance-reports', 'conformance.json'))).toBe(true);
    const usage = await runAction(job.steps[1]!.with as Record<string, string>, runner, summary, scope);
    expect(usage.code).toBe(3);
    expect(usage.outputs['exit-code']).toBe('3');
    expect(await readFile(summary, 'utf8')).toContain('wrote no report into usage');
  }, 120_000);
});
