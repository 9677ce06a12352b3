/**
 * A call as the fuzzer makes it and prints it: every argument named the way a scenario names it
 * (channel "ch1", buffer "A", GPADL "G2", MDL "M1" or the MDL of a map), so that each side of the
 * comparison turns it into its own handles, and the printer into a step.
 */
import type { Role } from '../contract/Implementation.js';

export type EndpointRef = { readonly channel: string; readonly role: Role } | { readonly handle: number };
export type GpadlRef = { readonly name: string } | { readonly ring: string } | { readonly handle: number };
export type MdlRef = { readonly built: string } | { readonly mappingOf: string } | { readonly handle: number };
export interface PartRef {
  readonly buffer: string;
  readonly byteOffset: number;
  readonly byteCount: number;
}

export type Call =
  | { readonly fn: 'createFromBuffer'; readonly ep: EndpointRef; readonly name: string; readonly buffer: string; readonly byteCount: number; readonly flags: number }
  | { readonly fn: 'createFromMdl'; readonly ep: EndpointRef; readonly name: string; readonly mdl: MdlRef; readonly start: number; readonly length: number; readonly flags: number }
  | { readonly fn: 'buildMdl'; readonly name: string; readonly parts: readonly PartRef[] }
  | { readonly fn: 'delete'; readonly ep: EndpointRef; readonly gpadl: GpadlRef }
  | { readonly fn: 'map'; readonly ep: EndpointRef; readonly flags: number; readonly gpadl: GpadlRef }
  | { readonly fn: 'unmap'; readonly ep: EndpointRef; readonly gpadl: GpadlRef }
  | { readonly fn: 'systemVa'; readonly mdl: MdlRef }
  | { readonly fn: 'writeMdl'; readonly mdl: MdlRef; readonly offset: number; readonly length: number; readonly byte: number }
  | { readonly fn: 'readMdl'; readonly mdl: MdlRef; readonly offset: number; readonly length: number }
  | { readonly fn: 'writeBuffer'; readonly buffer: string; readonly offset: number; readonly length: number; readonly byte: number }
  | { readonly fn: 'readBuffer'; readonly buffer: string; readonly offset: number; readonly length: number }
  | { readonly fn: 'enable' | 'disable' | 'cleanup'; readonly ep: EndpointRef }
  | { readonly fn: 'ringPages'; readonly ep: EndpointRef; readonly incoming: number; readonly outgoing: number }
  | { readonly fn: 'hostDirect'; readonly channel: string; readonly directive: string }
  | { readonly fn: 'hostAnswer'; readonly channel: string }
  | { readonly fn: 'migrationBegin' | 'migrationFinish' }
  | { readonly fn: 'readSnapshot'; readonly buffer: string; readonly offset: number; readonly length: number }
  | { readonly fn: 'wireOffer' }
  | { readonly fn: 'wireSend'; readonly message: string }
  | { readonly fn: 'wireHold' | 'wireRelease'; readonly channel: string; readonly gpadl: number }
  | { readonly fn: 'wireRevoke'; readonly channel: string };
export type CallFn = Call['fn'];

const RING = 'ring of ';
/** The key of the ring-buffer GPADL of a channel, beside the names of the other GPADLs ("G1"). */
export const ringKey = (channel: string): string => `${RING}${channel}`;
/** A GPADL's key: its name, or its channel's ring key; undefined for a literal handle. */
export const gpadlKey = (ref: GpadlRef): string | undefined => ('name' in ref ? ref.name : 'ring' in ref ? ringKey(ref.ring) : undefined);
/** The GPADL a key names. */
export const gpadlOfKey = (key: string): { readonly name: string } | { readonly ring: string } => (key.startsWith(RING) ? { ring: key.slice(RING.length) } : { name: key });

/** The names a run gives, in the order it makes them. */
export const channelName = (pair: number): string => `ch${pair + 1}`;
/** The channel pair an endpoint reference names; undefined for a bogus handle. */
export const pairOf = (ep: EndpointRef): number | undefined => ('channel' in ep ? Number(ep.channel.slice('ch'.length)) - 1 : undefined);
export const bufferName = (index: number): string => String.fromCharCode('A'.charCodeAt(0) + index);
/** The bogus endpoint and GPADL handles of misuse: values no call of a run returns. */
export const BOGUS_ENDPOINT = 0xbad0;
export const UNKNOWN_GPADL = 0x0dead;
export const UNKNOWN_MDL = 0x0badd;
export const UNKNOWN_BUFFER = 0x0badb;
