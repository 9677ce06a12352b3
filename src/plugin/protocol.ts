/**
 * The plug-in protocol's vocabulary: its version, its commands and the shapes of its lines, as the
 * harness and {@link serve} both see them. The schemas in `schemas/v1/` are the authority; these
 * types follow them (docs/protocol.md explains both).
 *
 * Commands: `hello`, `reset` and `shutdown` frame a process's life; every other command is one
 * method of the contract ({@link CONTRACT_METHODS}) with the same name. The contract's `close` has no
 * command: a connection simply ends, and the next `reset` starts a new one.
 */
import { CONTRACT_METHODS, type ContractMethod } from '../contract/Implementation.js';

/**
 * Every version of the protocol this project speaks, oldest first. The harness offers them all in
 * `hello` (`versions`) and the implementation answers the one it chose (`protocol`); an
 * implementation that knows only version 1 ignores the offer and answers 1.
 */
export const PROTOCOL_VERSIONS = [1, 2] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
/** Version 1, which every implementation speaks: what `hello` says in its `protocol` (the offer is in `versions`). */
export const PROTOCOL_VERSION: ProtocolVersion = PROTOCOL_VERSIONS[0];

/** What a version allows beyond version 1; docs/protocol.md, "Version 2". */
export interface VersionFeatures {
  /**
   * Requests may be in flight together: the harness may send a request before the last one is
   * answered (several lines in one write), and the implementation answers them in order.
   */
  readonly pipelining: boolean;
  /** `trace` may carry `from`: only the events from that index on (the trace only grows between resets). */
  readonly traceFrom: boolean;
}
export const VERSION_FEATURES: { readonly [V in ProtocolVersion]: VersionFeatures } = {
  1: { pipelining: false, traceFrom: false },
  2: { pipelining: true, traceFrom: true },
};

export const isProtocolVersion = (value: unknown): value is ProtocolVersion => (PROTOCOL_VERSIONS as readonly unknown[]).includes(value);

/**
 * The version two sides agree on: the newest of `offered` that this side speaks, or undefined when
 * none is. A `hello` without an offer (`versions`) offers its `protocol` alone.
 */
export function chooseVersion(offered: readonly unknown[]): ProtocolVersion | undefined {
  return [...PROTOCOL_VERSIONS].reverse().find((version) => offered.includes(version));
}

/** A contract method that travels as a command: all of them but `close`. */
export type ContractCommand = Exclude<ContractMethod, 'close'>;
export const CONTRACT_COMMANDS: readonly ContractCommand[] = CONTRACT_METHODS.filter((m): m is ContractCommand => m !== 'close');

export const FRAME_COMMANDS = ['hello', 'reset', 'shutdown'] as const;
export type FrameCommand = (typeof FRAME_COMMANDS)[number];
export type CommandName = FrameCommand | ContractCommand;
export const COMMANDS: readonly CommandName[] = [...FRAME_COMMANDS, ...CONTRACT_COMMANDS];

export const isCommandName = (name: unknown): name is CommandName => typeof name === 'string' && (COMMANDS as readonly string[]).includes(name);
export const isContractCommand = (name: unknown): name is ContractCommand =>
  typeof name === 'string' && (CONTRACT_COMMANDS as readonly string[]).includes(name);

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object; properties that are `undefined` are left out of the line. */
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

/** A request line: `{"seq": n, "cmd": "...", ...arguments}`. */
export interface Request extends JsonObject {
  readonly seq: number;
  readonly cmd: string;
}

/** The three ways a command can end, after Bowtie's `result | skipped | errored`; a half's `result` carries its `events` (docs/halves.md). */
export type Response =
  | { readonly seq: number; readonly result: JsonObject; readonly events?: readonly JsonObject[] }
  | { readonly seq: number; readonly unsupported: { readonly message: string; readonly issue?: string } }
  | { readonly seq: number; readonly errored: { readonly message: string; readonly traceback?: string } };
export const RESPONSE_KINDS = ['result', 'unsupported', 'errored'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

/** Who is asking, in `hello`. */
export interface HarnessIdentity {
  readonly name: string;
  readonly version: string;
}
