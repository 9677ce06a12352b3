/**
 * The other side of the plug-in protocol: serves any in-process implementation (an
 * {@link ImplementationFactory}) over a pair of streams, exactly as docs/protocol.md asks of an
 * implementation in another language. `vmbus-conformance-serve` runs it on standard input and
 * output; the whole suite passes through it as it does in-process, which is the proof that the
 * protocol carries everything the contract says.
 *
 * - `hello`: the factory's info and capabilities, with protocol version 1;
 * - `reset`: closes the current connection and starts a new one (`factory.start()`);
 * - a contract command: decodes the arguments, calls the method and encodes its result; a throw
 *   or rejection becomes `errored` with the message and stack; arguments it cannot read become
 *   `errored` too (a harness bug, with the JSON pointer);
 * - an unknown command, or an optional one (a capability's) the implementation lacks: `unsupported`;
 * - `shutdown`: answers, closes the connection and returns; so does the end of the input.
 *
 * Requests are handled one at a time, in order; each response is one line.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ImplementationFactory, VmbusImplementation } from '../contract/Implementation.js';
import { DecodeError, decodeArguments, encodeResult, helloResult, type ContractArguments, type ContractResult } from './codec.js';
import { isContractCommand, type ContractCommand, type JsonObject, type Response } from './protocol.js';

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

export async function serve(factory: ImplementationFactory, options: ServeOptions): Promise<ServeEnd> {
  const { output, log } = options;
  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  let connection: VmbusImplementation | undefined;
  const write = (response: Response): void => void output.write(`${JSON.stringify(response)}\n`);

  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let request: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        request = parsed as Record<string, unknown>;
      } catch (error) {
        log?.write(`vmbus-conformance-serve: ignoring a line that is not a JSON object (${(error as Error).message}): ${line.slice(0, 200)}\n`);
        continue;
      }
      const seq = request['seq'];
      if (typeof seq !== 'number') {
        log?.write(`vmbus-conformance-serve: ignoring a request without a numeric seq: ${line.slice(0, 200)}\n`);
        continue;
      }
      const cmd = request['cmd'];
      try {
        switch (cmd) {
          case 'hello':
            write({ seq, result: helloResult(factory.info) });
            break;
          case 'reset':
            await connection?.close();
            connection = undefined;
            connection = await factory.start();
            write({ seq, result: {} });
            break;
          case 'shutdown':
            write({ seq, result: {} });
            await connection?.close();
            connection = undefined;
            return 'shutdown';
          default:
            if (!isContractCommand(cmd)) {
              write({ seq, unsupported: { message: `unknown command ${JSON.stringify(cmd)}` } });
            } else if (connection === undefined) {
              write({ seq, errored: { message: `${cmd} before reset: there is no connection yet` } });
            } else if (typeof connection[cmd] !== 'function') {
              write({ seq, unsupported: { message: `${cmd} is not implemented: it belongs to a capability this implementation does not claim` } });
            } else {
              write({ seq, result: await call(connection, cmd, request) });
            }
        }
      } catch (error) {
        const thrown = error instanceof Error ? error : new Error(String(error));
        write({ seq, errored: { message: thrown.message, ...(thrown.stack === undefined ? {} : { traceback: thrown.stack }) } });
      }
    }
    await connection?.close();
    return 'end-of-input';
  } finally {
    lines.close();
  }
}

async function call<M extends ContractCommand>(connection: VmbusImplementation, cmd: M, request: Record<string, unknown>): Promise<JsonObject> {
  let args: ContractArguments<M>;
  try {
    args = decodeArguments(cmd, request);
  } catch (error) {
    if (error instanceof DecodeError) throw new Error(`cannot read the arguments of ${cmd}: ${error.message}`);
    throw error;
  }
  const method = connection[cmd] as (...a: ContractArguments<M>) => Promise<ContractResult<M>>;
  return encodeResult(cmd, await method.apply(connection, args));
}
