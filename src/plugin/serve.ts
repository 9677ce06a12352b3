/**
 * The other side of the plug-in protocol: serves any in-process implementation (an
 * {@link ImplementationFactory}) over a pair of streams, exactly as docs/protocol.md asks of an
 * implementation in another language. `vmbus-conformance-serve` runs it on standard input and
 * output; the whole suite passes through it as it does in-process, which is the proof that the
 * protocol carries everything the contract says.
 *
 * - `hello`: the factory's info and capabilities, with the newest protocol version the harness
 *   offered that this side speaks (docs/protocol.md, "Version 2"); `halves` when the factory
 *   can start a guest half or a host half on its own (`startGuest`, `startHost`; docs/halves.md),
 *   and `whole` (false only when its info says so);
 * - `reset`: closes the current connection and halves and starts a new connection
 *   (`factory.start()`, unless it serves halves only); each half starts afresh at its first command;
 * - a contract command: decodes the arguments, calls the method and encodes its result; a throw
 *   or rejection becomes `errored` with the message and stack; arguments it cannot read become
 *   `errored` too (a harness bug, with the JSON pointer);
 * - a half's command (`guest.<method>`, `host.<method>`): the same, on that half, with the half's
 *   `takeEvents()` as the response's `events` (left out when there are none). One process serves
 *   both halves of a pairing at once;
 * - an unknown command, an optional one (a capability's) the implementation lacks, a half it does
 *   not serve, or a whole command when it serves halves only: `unsupported`;
 * - `shutdown`: answers, closes the connection and halves and returns; so does the end of the input.
 *
 * Requests are handled one at a time, in order; each response is one line. Requests that arrived
 * together (a version-2 harness sends several at once) have their answers written together.
 */
import type { Readable, Writable } from 'node:stream';
import { HALF_NAMES, type GuestHalf, type HalfName, type HostHalf } from '../contract/halves.js';
import type { ImplementationFactory, ImplementationInfo, VmbusImplementation } from '../contract/Implementation.js';
import { DecodeError, decodeArguments, decodeTraceFrom, encodeResult, helloOffer, helloResult, type ContractArguments, type ContractResult } from './codec.js';
import { decodeHalfArguments, encodeEvents, encodeHalfResult, readHalfCommand } from './halvesCodec.js';
import { lineBatches } from './lineBatches.js';
import { chooseVersion, isContractCommand, PROTOCOL_VERSION, VERSION_FEATURES, type ContractCommand, type JsonObject, type Response, type VersionFeatures } from './protocol.js';

export interface ServeOptions {
  /** Where requests arrive, one per line. */
  readonly input: Readable;
  /** Where responses go, one per line; nothing else is ever written here. */
  readonly output: Writable;
  /** Where diagnostics go (lines that are not requests); nowhere by default. */
  readonly log?: Writable;
}

/** How serving ended: a `shutdown` request, or the end of the input. */
export type ServeEnd = 'shutdown' | 'end-of-input';

/** The halves a factory can start on its own. */
export function servedHalves(factory: ImplementationFactory): HalfName[] {
  return HALF_NAMES.filter((half) => (half === 'guest' ? factory.startGuest : factory.startHost) !== undefined);
}

/** What `hello` says about a factory: its info, with the halves it can start and whether it serves the whole. */
export function servedInfo(factory: ImplementationFactory): ImplementationInfo {
  const { halves: _claimed, whole: _whole, ...info } = factory.info;
  const halves = servedHalves(factory);
  return halves.length === 0 ? info : { ...info, halves, whole: factory.info.whole !== false };
}

type AnyHalf = GuestHalf | HostHalf;

export async function serve(factory: ImplementationFactory, options: ServeOptions): Promise<ServeEnd> {
  const { output, log } = options;
  const info = servedInfo(factory);
  const whole = info.whole !== false;
  const served = info.halves ?? [];
  /** What the version agreed in `hello` allows; version 1's until then. */
  let features = VERSION_FEATURES[PROTOCOL_VERSION];
  let connection: VmbusImplementation | undefined;
  /** Whether a `reset` came: the halves start at their first command after it. */
  let reset = false;
  /** A `shutdown` came: its answer is the last line. */
  let shuttingDown = false;
  const halves = new Map<HalfName, Promise<AnyHalf>>();
  const startHalf = (half: HalfName): Promise<AnyHalf> => {
    let started = halves.get(half);
    if (started === undefined) {
      started = half === 'guest' ? factory.startGuest!() : factory.startHost!();
      halves.set(half, started);
    }
    return started;
  };
  const closeAll = async (): Promise<void> => {
    const open = [...halves.values()];
    halves.clear();
    await connection?.close();
    connection = undefined;
    for (const half of open) await (await half).close();
  };

  /** The answer to one request line; undefined for a line that is no request (said on the log). */
  const answer = async (line: string): Promise<Response | undefined> => {
    if (line.trim() === '') return undefined;
    let request: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      request = parsed as Record<string, unknown>;
    } catch (error) {
      log?.write(`vmbus-conformance-serve: ignoring a line that is not a JSON object (${(error as Error).message}): ${line.slice(0, 200)}\n`);
      return undefined;
    }
    const seq = request['seq'];
    if (typeof seq !== 'number') {
      log?.write(`vmbus-conformance-serve: ignoring a request without a numeric seq: ${line.slice(0, 200)}\n`);
      return undefined;
    }
    const cmd = request['cmd'];
    try {
      switch (cmd) {
        case 'hello': {
          const chosen = chooseVersion(helloOffer(request)) ?? PROTOCOL_VERSION;
          features = VERSION_FEATURES[chosen];
          return { seq, result: helloResult(info, chosen) };
        }
        case 'reset':
          await closeAll();
          if (whole) connection = await factory.start();
          reset = true;
          return { seq, result: {} };
        case 'shutdown':
          shuttingDown = true;
          return { seq, result: {} };
        default: {
          const halfCommand = typeof cmd === 'string' ? readHalfCommand(cmd) : undefined;
          if (halfCommand !== undefined) {
            const { half, method } = halfCommand;
            if (!served.includes(half)) return { seq, unsupported: { message: `${String(cmd)}: this program serves no ${half} half` } };
            if (!reset) return { seq, errored: { message: `${String(cmd)} before reset: there is no connection yet` } };
            const target = await startHalf(half);
            if (typeof (target as unknown as Record<string, unknown>)[method] !== 'function') {
              return { seq, unsupported: { message: `${String(cmd)} is not implemented: it belongs to a capability this ${half} half does not claim` } };
            }
            return { seq, ...(await callHalf(target, half, method, String(cmd), request)) };
          }
          if (!isContractCommand(cmd)) return { seq, unsupported: { message: `unknown command ${JSON.stringify(cmd)}` } };
          if (!whole) return { seq, unsupported: { message: `${cmd}: this program serves only the ${served.join(' and ')} half, not the whole contract` } };
          if (connection === undefined) return { seq, errored: { message: `${cmd} before reset: there is no connection yet` } };
          if (typeof connection[cmd] !== 'function') return { seq, unsupported: { message: `${cmd} is not implemented: it belongs to a capability this implementation does not claim` } };
          return { seq, result: await call(connection, cmd, request, features) };
        }
      }
    } catch (error) {
      const thrown = error instanceof Error ? error : new Error(String(error));
      return { seq, errored: { message: thrown.message, ...(thrown.stack === undefined ? {} : { traceback: thrown.stack }) } };
    }
  };

  // Requests that arrived together are answered in order and their answers written together: one
  // write for a batch a version-2 harness sent at once, one write a request for a version-1 one.
  for await (const batch of lineBatches(options.input)) {
    const answers: string[] = [];
    for (const line of batch) {
      const response = await answer(line);
      if (response === undefined) continue;
      answers.push(JSON.stringify(response));
      if (shuttingDown) {
        output.write(`${answers.join('\n')}\n`);
        await closeAll();
        return 'shutdown';
      }
    }
    if (answers.length > 0) output.write(`${answers.join('\n')}\n`);
  }
  await closeAll();
  return 'end-of-input';
}

async function call<M extends ContractCommand>(connection: VmbusImplementation, cmd: M, request: Record<string, unknown>, features: VersionFeatures): Promise<JsonObject> {
  let args: ContractArguments<M>;
  /** Version 2's `trace` from an index on: the events before it are the harness's already. */
  let from = 0;
  try {
    args = decodeArguments(cmd, request);
    if (cmd === 'trace') from = decodeTraceFrom(request, features);
  } catch (error) {
    if (error instanceof DecodeError) throw new Error(`cannot read the arguments of ${cmd}: ${error.message}`);
    throw error;
  }
  const method = connection[cmd] as (...a: ContractArguments<M>) => Promise<ContractResult<M>>;
  const value = await method.apply(connection, args);
  return encodeResult(cmd, from === 0 ? value : ((value as ContractResult<'trace'>).slice(from) as ContractResult<M>));
}

/** One half command: its result, and what the half did meanwhile as `events`. */
async function callHalf(target: AnyHalf, half: HalfName, method: string, cmd: string, request: Record<string, unknown>): Promise<{ result: JsonObject; events?: JsonObject[] }> {
  let args: unknown[];
  try {
    args = decodeHalfArguments(half, method, request);
  } catch (error) {
    if (error instanceof DecodeError) throw new Error(`cannot read the arguments of ${cmd}: ${error.message}`);
    throw error;
  }
  const fn = (target as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!;
  let value: unknown;
  try {
    value = await fn.apply(target, args);
  } catch (error) {
    // What the half did before it broke is not reported: the scenario is an error.
    target.takeEvents();
    throw error;
  }
  const result = encodeHalfResult(half, method, value);
  const events = encodeEvents(target.takeEvents());
  return events.length === 0 ? { result } : { result, events };
}
