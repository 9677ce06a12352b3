/**
 * Names an implementation under test with a connectable string, after Bowtie's connectables:
 *
 * - `inproc:reference`: the reference model, in this process;
 * - `module:<path>`: a JavaScript or TypeScript module, in this process, whose default export (or
 *   export named `factory`) is an {@link ImplementationFactory}; TypeScript is loaded with tsx;
 * - `cmd:<command line>`: a program in any language, run with `/bin/sh -c` in `cwd`, that speaks the
 *   plug-in protocol (docs/protocol.md) on its standard input and output (`stdio/`).
 *
 * Resolution is asynchronous: loading a module, or starting a process and shaking hands with it,
 * takes time. Resolved factories are cached per spec, so the CLI and the scenarios of one process
 * share one module (and, for a process, one running implementation).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImplementationFactory } from '../contract/Implementation.js';
import { ReferenceVmbus, REFERENCE_INFO } from '../model/ReferenceVmbus.js';
import { referenceGuestHalf } from '../model/halves/ReferenceGuestHalf.js';
import { referenceHostHalf } from '../model/halves/ReferenceHostHalf.js';
import { cannotServe, pairFactories, readPairSpec } from '../pairing/pairFactory.js';
import { inProcess } from './inProcess.js';
import { connectCommand } from './stdio/connector.js';

/** A connectable string that names no implementation: a usage error, reported as such. */
export class UnknownImplementationError extends Error {
  override readonly name = 'UnknownImplementationError';
}

/** The implementation was named correctly but could not be loaded or started. */
export class ImplementationLoadError extends Error {
  override readonly name = 'ImplementationLoadError';
}

export const DEFAULT_IMPLEMENTATION = 'inproc:reference';

/** Options that reach an adapter from the command line (through Cucumber's world parameters). */
export interface ResolveOptions {
  /** Per-call timeout for implementations in another process, in milliseconds. */
  readonly timeoutMs?: number;
  /** The budget of the handshake (`hello`) of an implementation in another process, in milliseconds. */
  readonly helloTimeoutMs?: number;
  /** Validate every protocol message against the schemas and fail loudly on a violation. */
  readonly validateProtocol?: boolean;
  /** Where relative module paths and commands are resolved; the current directory by default. */
  readonly cwd?: string;
}

/** Resolves the part after `kind:`; `spec` is the whole string, for messages. */
type Connector = (id: string, options: ResolveOptions, spec: string) => Promise<ImplementationFactory>;

const IN_PROCESS: Readonly<Record<string, ImplementationFactory>> = {
  reference: {
    info: { ...REFERENCE_INFO, halves: ['guest', 'host'] },
    start: async () => inProcess(new ReferenceVmbus()),
    startGuest: async () => referenceGuestHalf(),
    startHost: async () => referenceHostHalf(),
  },
};

/** One entry per connectable kind; other adapters register theirs with {@link registerConnector}. */
const CONNECTORS = new Map<string, Connector>([
  ['inproc', async (id, _options, spec) => {
    if (!Object.hasOwn(IN_PROCESS, id)) throw new UnknownImplementationError(`unknown implementation "${spec}": in-process ones are ${Object.keys(IN_PROCESS).map((name) => `inproc:${name}`).join(', ')}`);
    return IN_PROCESS[id]!;
  }],
  ['module', loadModule],
  ['pair', connectPair],
]);

export function registerConnector(kind: string, connector: Connector): void {
  CONNECTORS.set(kind, connector);
}

registerConnector('cmd', connectCommand);

const cache = new Map<string, Promise<ImplementationFactory>>();

export function resolveImplementation(spec: string, options: ResolveOptions = {}): Promise<ImplementationFactory> {
  // The CLI (to describe the implementation) and the scenarios' Before hook must land on one key,
  // or a `cmd:` program is started twice: absent and default values are the same key.
  const key = JSON.stringify([spec, options.timeoutMs ?? null, options.helloTimeoutMs ?? null, options.validateProtocol === true, options.cwd ?? process.cwd()]);
  let resolved = cache.get(key);
  if (resolved === undefined) {
    resolved = connect(spec, options);
    cache.set(key, resolved);
    // A failed resolution is not remembered: the next scenario may try again.
    resolved.catch(() => cache.delete(key));
  }
  return resolved;
}

async function connect(spec: string, options: ResolveOptions): Promise<ImplementationFactory> {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? '' : spec.slice(0, colon);
  const connector = CONNECTORS.get(kind);
  if (connector === undefined || colon === spec.length - 1) {
    throw new UnknownImplementationError(`cannot read implementation "${spec}": expected <kind>:<id> with kind one of ${[...CONNECTORS.keys()].join(', ')} (e.g. ${DEFAULT_IMPLEMENTATION})`);
  }
  return connector(spec.slice(colon + 1), options, spec);
}

/** `pair:{"guest":…,"host":…}`: both halves resolved as connectables of their own, then paired. */
async function connectPair(id: string, options: ResolveOptions, spec: string): Promise<ImplementationFactory> {
  const specs = readPairSpec(id);
  if (typeof specs === 'string') throw new UnknownImplementationError(`cannot read implementation "${spec}": ${specs}`);
  const [guest, host] = await Promise.all([resolveImplementation(specs.guest, options), resolveImplementation(specs.host, options)]);
  const problem = cannotServe(guest, 'guest', specs.guest) ?? cannotServe(host, 'host', specs.host);
  if (problem !== undefined) throw new UnknownImplementationError(problem);
  return pairFactories(guest, host);
}

async function loadModule(modulePath: string, options: ResolveOptions): Promise<ImplementationFactory> {
  const file = path.resolve(options.cwd ?? process.cwd(), modulePath);
  let loaded: Record<string, unknown>;
  try {
    if (/\.[cm]?ts$/.test(file)) {
      const { tsImport } = await import('tsx/esm/api');
      loaded = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
    } else {
      loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new ImplementationLoadError(`cannot load implementation module ${file}: ${(error as Error).message}`);
  }
  // A TypeScript module outside an ESM package comes back CommonJS-wrapped: default.default.
  const candidates = [loaded['factory'], loaded['default'], (loaded['default'] as Record<string, unknown> | undefined)?.['default']];
  const factory = candidates.find(isFactory);
  if (factory === undefined) throw new ImplementationLoadError(`${file} exports no implementation factory (a default export or \`factory\` with \`info\` and \`start()\`)`);
  return factory;
}

function isFactory(value: unknown): value is ImplementationFactory {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ImplementationFactory>;
  return typeof candidate.start === 'function' && typeof candidate.info === 'object' && candidate.info !== null && typeof candidate.info.name === 'string';
}
