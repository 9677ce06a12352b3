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

export const PROTOCOL_VERSION = 1;

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
