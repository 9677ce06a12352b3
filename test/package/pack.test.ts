/**
 * The package as a user gets it: a copy of this working tree without `dist/` is packed with
 * `npm pack` (its `prepare` script must build it), the tarball is installed into an empty project
 * (`npm install <tgz>`, dependencies from the npm cache), and there
 *
 * - `npx vmbus-conformance run --out r` runs the suite against the reference model (exit 0, the
 *   reports written) from the installed package's own features, steps and spec;
 * - a TypeScript `module:` implementation that imports the contract's types and values from
 *   'vmbus-conformance' type-checks with this project's TypeScript (and a wrong use of a handle
 *   type does not: the declarations are real types, not `any`);
 * - the same implementation runs as `module:impl.ts` (loaded with the package's tsx).
 *
 * It takes some 30 to 60 s on two cores (the `tsc` of `prepare` and the install dominate).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../report/tinySuite.js';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a child npm: none of the `npm test` run's own npm_* settings leak into it. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return { ...env, CI: '1', NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/** `command` in `cwd`; killed after `timeout` ms, which only a hang reaches (the pack's tsc and the install take a minute or two on a loaded machine). */
function run(command: string, args: readonly string[], cwd: string, timeout = 300_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd, env: childEnv(), timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const NOT_SOURCE = /^(dist|node_modules|reports|\.git)(\/|$)/;

/** The files of the tree as git sees them (tracked or not ignored); outside a git checkout, every file but the built ones. */
function gitFiles(): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 }, async (error, stdout) => {
      if (!error) return resolve(stdout.split('\0').filter((f) => f !== '' && !NOT_SOURCE.test(f)));
      const entries = await readdir(PROJECT_ROOT, { recursive: true, withFileTypes: true });
      resolve(
        entries
          .filter((e) => e.isFile())
          .map((e) => path.relative(PROJECT_ROOT, path.join(e.parentPath, e.name)))
          .filter((f) => !NOT_SOURCE.test(f) && !f.startsWith('implementations/linux-guest/build')),
      );
    });
  });
}

const IMPLEMENTATION = `
import type {
  BufferHandle,
  Capabilities,
  EndpointHandle,
  GpadlHandle,
  GuestHalf,
  HostHalf,
  ImplementationFactory,
  ImplementationInfo,
  NtStatus,
  OperationId,
  VmbusImplementation,
} from 'vmbus-conformance';
import { CAPABILITIES, STATUS_NOT_IMPLEMENTED, formatStatus, gpadlHandle, operationId } from 'vmbus-conformance';

const capabilities: Capabilities = { trace: false, violations: false, mdl: false, lifecycle: false };
const info: ImplementationInfo = { name: 'packed-stub', version: '0.0.1', language: 'TypeScript', capabilities };

const no = async (): Promise<NtStatus> => STATUS_NOT_IMPLEMENTED;
const noWith = async () => ({ status: STATUS_NOT_IMPLEMENTED });

/** Everything answers STATUS_NOT_IMPLEMENTED: it type-checks and runs, and conforms to nothing. */
const connection: VmbusImplementation = {
  info,
  allocateBuffer: noWith,
  describeBuffer: noWith,
  writeBuffer: no,
  readBuffer: noWith,
  buildMdl: noWith,
  describeMdl: noWith,
  allocateChannel: noWith,
  setRingBufferPageCount: no,
  enableChannel: no,
  disableChannel: async () => {},
  cleanupChannel: async () => {},
  endpointInfo: noWith,
  createGpadlFromBuffer: async (_endpoint: EndpointHandle, _flags, _buffer: BufferHandle) => ({ status: STATUS_NOT_IMPLEMENTED }),
  createGpadlFromMdl: noWith,
  deleteGpadl: async (_endpoint: EndpointHandle, _gpadl: GpadlHandle) => ({ operation: operationId(1), state: 'completed' }),
  mapGpadl: noWith,
  unmapGpadl: async () => {},
  mapMdlToSystemVa: no,
  readMdl: noWith,
  writeMdl: no,
  operationState: async (_operation: OperationId) => 'unknown',
  violations: async () => [],
  trace: async () => [],
  close: async () => {},
};

const factory: ImplementationFactory = {
  info,
  start: async () => connection,
};

// Halves and handles are types of the package too.
export type Halves = [GuestHalf, HostHalf];
export const firstHandle: GpadlHandle = gpadlHandle(1);
export const described = \`\${formatStatus(STATUS_NOT_IMPLEMENTED)} \${CAPABILITIES.length}\`;

export default factory;
`;

/** Misuses the contract's types: each line must be an error, or the declarations are not real types. */
const MISUSE = `
import type { GpadlHandle, ImplementationFactory } from 'vmbus-conformance';
import { STATUS_SUCCESS } from 'vmbus-conformance';
// @ts-expect-error a plain number is not a GpadlHandle
export const handle: GpadlHandle = 1;
// @ts-expect-error a factory needs info and start()
export const factory: ImplementationFactory = { start: async () => undefined };
// @ts-expect-error NtStatus is branded: no string
export const status: string = STATUS_SUCCESS;
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  },
  include: ['impl.ts', 'misuse.ts'],
};

let work: string;
let consumer: string;
let tarball: string;
const timings: Record<string, number> = {};

async function timed<T>(label: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await action();
  } finally {
    timings[label] = Date.now() - started;
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vmbus-pack-'));
  const source = path.join(work, 'source');
  consumer = path.join(work, 'consumer');
  // A fresh tree: the files git knows (or would), no dist/, the project's node_modules for the build.
  await timed('copy', async () => {
    for (const file of await gitFiles()) {
      if (!existsSync(path.join(PROJECT_ROOT, file))) continue;
      await mkdir(path.dirname(path.join(source, file)), { recursive: true });
      await cp(path.join(PROJECT_ROOT, file), path.join(source, file));
    }
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  });
  expect(existsSync(path.join(source, 'dist'))).toBe(false);
  const packed = await timed('npm pack', () => run('npm', ['pack', '--pack-destination', work, '--json', '--loglevel=error'], source));
  expect(packed.code, `${packed.stdout}\n${packed.stderr}`).toBe(0);
  const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string }];
  tarball = path.join(work, filename);

  await mkdir(consumer);
  await writeFile(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const installed = await timed('npm install', () =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], consumer),
  );
  expect(installed.code, `${installed.stdout}\n${installed.stderr}`).toBe(0);
}, 600_000); // 30 to 60 s on two idle cores; four times that on a loaded one

afterAll(async () => {
  // eslint-disable-next-line no-console
  console.log(`pack test timings (ms): ${JSON.stringify(timings)}`);
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('was built by prepare and ships dist, the declarations, docs, schemas, spec, features and the README', async () => {
    const root = path.join(consumer, 'node_modules', 'vmbus-conformance');
    for (const file of [
      'dist/src/cli/main.js',
      'dist/src/cli/serve.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/contract/Implementation.d.ts',
      'dist/steps/support/hooks.js',
      'docs/protocol.md',
      'docs/halves.md',
      'schemas/v1',
      'spec/README.md',
      'features/map_gpadl.feature',
      'README.md',
    ]) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
    }
    // Neither the tests nor the sources of the build go into the package.
    expect(existsSync(path.join(root, 'dist/test'))).toBe(false);
    expect(existsSync(path.join(root, 'src'))).toBe(false);
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; types: string };
    expect(manifest.types).toBe('./dist/src/index.d.ts');
    expect(Object.keys(manifest.exports)).toContain('.');
  });

  it('npx vmbus-conformance run --out r: the reference model, exit 0, every report written', async () => {
    const ran = await timed('run', () => run('npx', ['--no', 'vmbus-conformance', 'run', '--out', 'r'], consumer));
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    expect(ran.stdout).toMatch(/result: CONFORMANT/);
    const files = await readdir(path.join(consumer, 'r'));
    for (const file of ['conformance.json', 'conformance.md', 'cucumber.html', 'messages.ndjson', 'junit.xml']) expect(files).toContain(file);
    const report = JSON.parse(await readFile(path.join(consumer, 'r', 'conformance.json'), 'utf8')) as { outcome: string; rules: unknown[]; harness: { name: string } };
    expect(report.outcome).toBe('conformant');
    expect(report.harness.name).toBe('vmbus-conformance');
    expect(report.rules.length).toBeGreaterThan(100);
  }, 180_000); // the whole suite, through npx: 10 to 40 s on a loaded machine

  it('a TypeScript module: implementation type-checks against the contract it imports from the package', async () => {
    await writeFile(path.join(consumer, 'impl.ts'), IMPLEMENTATION);
    await writeFile(path.join(consumer, 'misuse.ts'), MISUSE);
    await writeFile(path.join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await timed('tsc', () => run(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer));
    expect(checked.code, `${checked.stdout}\n${checked.stderr}`).toBe(0);
  });

  it('and runs as module:impl.ts from the installed package (tsx): errors and failures, never a crash', async () => {
    await writeFile(path.join(consumer, 'impl.ts'), IMPLEMENTATION);
    const ran = await timed('run module', () =>
      run('npx', ['--no', 'vmbus-conformance', 'run', '--impl', 'module:impl.ts', '--tags', '@CREATE-01 or @MAP-04', '--out', 'm'], consumer),
    );
    expect([1, 2], `${ran.stdout}\n${ran.stderr}`).toContain(ran.code);
    const report = JSON.parse(await readFile(path.join(consumer, 'm', 'conformance.json'), 'utf8')) as { implementation: { name: string }; conformant: boolean };
    expect(report.implementation.name).toBe('packed-stub');
    expect(report.conformant).toBe(false);
  });
});
