/**
 * Contract violations: misuse that a void KMCL function cannot report through a status.
 *
 * VmbChannelDeleteGpadl, VmbChannelUnmapGpadl and VmbChannelCleanup return nothing, and the docs do
 * not say what they do with a bad handle (gaps G3, G5, G7). An implementation that can tell records
 * a violation instead of crashing or silently passing; the suite checks that the misuse changed no
 * state and, where the implementation offers the capability, that it was recorded with this kind.
 */
import type { EndpointHandle, GpadlHandle, MdlHandle } from './handles.js';

export const VIOLATION_KINDS = {
  DeleteOfUnknownGpadl: 'VmbChannelDeleteGpadl of a handle that is not a live GPADL of this channel',
  UnmapOfUnknownGpadl: 'VmbChannelUnmapGpadl of a handle that is not a live GPADL of this channel',
  UnmapWithoutMap: 'VmbChannelUnmapGpadl of a GPADL that is not mapped',
  ServerOnlyFunctionOnClient: 'a KMCL_SERVER_ONLY_METHODS function called on a client endpoint',
  ClientFunctionOnServer: 'a GPADL function meant for the client endpoint called on a server endpoint',
  InvalidEndpointHandle: 'a void function called with a channel handle that is not allocated',
  CleanupOfEnabledChannel: 'VmbChannelCleanup of a channel that is not disabled',
  GpadlLiveAtClose: 'a GPADL still live when its channel closed (the client must delete them in EvtChannelClosed)',
  GpadlLeakedAtCleanup: 'a GPADL never deleted before VmbChannelCleanup',
  MappingLiveAtDisable: 'the server disabled its channel while it still had a GPADL mapped (the guest may free those pages)',
  MappingLeakedAtCleanup: 'a mapping never unmapped before VmbChannelCleanup of the server endpoint',
  MdlAccessAfterUnmap: 'the server touched a mapped buffer after VmbChannelUnmapGpadl',
  MdlAccessWithoutSystemVa: 'the server touched an MDL it had not mapped into virtual address space',
} as const;

export type ViolationKind = keyof typeof VIOLATION_KINDS;

export interface ContractViolation {
  readonly kind: ViolationKind;
  /** The contract function in which the misuse was seen. */
  readonly fn: string;
  readonly endpoint?: EndpointHandle;
  readonly gpadl?: GpadlHandle;
  readonly mdl?: MdlHandle;
  readonly message: string;
}

export const isViolationKind = (text: string): text is ViolationKind => Object.hasOwn(VIOLATION_KINDS, text);
