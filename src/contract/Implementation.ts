/**
 * The implementation contract: what every VMBus implementation under test offers the suite.
 *
 * One instance is one VMBus connection between a guest and a host, with channels that each have a
 * client (guest) endpoint and a server (host) endpoint. The suite talks only to this interface, so
 * the reference model, an in-process TypeScript implementation and an adapter for code in another
 * language are interchangeable. Every method is asynchronous because an implementation may live in
 * another process.
 *
 * Rules of the contract:
 * - Misuse never throws. A function with an NTSTATUS returns a failure status; a void function
 *   (delete, unmap, disable, cleanup) changes no state and, with the `violations` capability,
 *   records a {@link ContractViolation}. A thrown error or rejected promise means the
 *   implementation is broken, and the suite reports the scenario as an error, not a failure.
 * - Out-parameters (the GPADL handle of create, the MDL of map) are present only on success.
 */
import type { GpadlFlags } from './flags.js';
import type { HalfName, HalvesFactory } from './halves.js';
import type { BufferHandle, ChannelId, EndpointHandle, GpadlHandle, MdlHandle, OperationId, Pfn } from './handles.js';
import type { NtStatus } from './NtStatus.js';
import type { TraceEvent } from './trace.js';
import type { ContractViolation } from './violations.js';

/** What an implementation can do beyond the core GPADL functions; missing ones make scenarios "not applicable". */
export interface Capabilities {
  /** `trace()` returns calls, returns and channel messages. */
  readonly trace: boolean;
  /** `violations()` returns the misuse the void functions saw. */
  readonly violations: boolean;
  /** `buildMdl` and `createGpadlFromMdl`. */
  readonly mdl: boolean;
  /** Disable, cleanup and rescind with GPADLs outstanding, and the init setter. */
  readonly lifecycle: boolean;
  /**
   * The `host*` methods: a VMBus host that takes raw guest-to-host channel messages and answers
   * with raw host-to-guest ones. Optional in `hello`: absent means false.
   */
  readonly wireHost?: boolean;
  /**
   * `migrationBegin`, `migrationFinish` and `readSnapshot`: a pre-copy migration (or snapshot) of
   * guest memory, the documented reason for the read-only flag. Optional in `hello`: absent means false.
   */
  readonly migration?: boolean;
  /**
   * `hostDirect`, `hostAnswerDeferred` and `createOutcome`: the suite can make the host behind a
   * channel refuse or hold back its answers, to see what the guest does then (a failed create or
   * open, a create still waiting at a rescind). Optional in `hello`: absent means false.
   */
  readonly hostControl?: boolean;
}
export type Capability = keyof Capabilities;
export const CAPABILITIES: readonly Capability[] = ['trace', 'violations', 'mdl', 'lifecycle', 'wireHost', 'migration', 'hostControl'];

export interface ImplementationInfo {
  readonly name: string;
  readonly version: string;
  readonly language: string;
  readonly homepage?: string;
  readonly capabilities: Capabilities;
  /** The halves it serves on their own (docs/halves.md); absent: none, it is a whole implementation only. */
  readonly halves?: readonly HalfName[];
  /** False for a program that serves only halves; absent means true. */
  readonly whole?: boolean;
}

export type Role = 'client' | 'server';

/**
 * Endpoint states, after the header's state model. A client endpoint is Opened once OPENCHANNEL
 * succeeded; a server endpoint is Enabled once offered, Opened once the guest opened it and Closed
 * once the guest closed it. Disabled is both the initial state and the state after Disable.
 */
export type EndpointState = 'Disabled' | 'Enabled' | 'Opened' | 'Closed';

export interface EndpointInfo {
  readonly role: Role;
  readonly state: EndpointState;
  /** The channel's child_relid once the server has offered it. */
  readonly channelId: ChannelId | null;
  /** The ring-buffer GPADL the client opened the channel with, while it exists. */
  readonly ringGpadl: GpadlHandle | null;
}

export interface AllocateBufferRequest {
  readonly byteCount: number;
  /** Where the buffer starts within its first page (0 to 4095). */
  readonly byteOffset?: number;
}

/** One MDL of a chain: the whole buffer, or the part of it from `byteOffset` for `byteCount` bytes. */
export interface MdlPart {
  readonly buffer: BufferHandle;
  readonly byteOffset?: number;
  readonly byteCount?: number;
}

/** What an MDL says about the memory it describes (MmGetMdlByteOffset, MmGetMdlByteCount, MmGetMdlPfnArray). */
export interface MdlDescription {
  readonly byteOffset: number;
  readonly byteCount: number;
  readonly pfns: readonly Pfn[];
  /** True once the MDL has been mapped into system virtual address space. */
  readonly systemVa: boolean;
}

export interface BufferDescription {
  readonly byteOffset: number;
  readonly byteCount: number;
  readonly pfns: readonly Pfn[];
  /** Probed and locked: a live GPADL describes it. */
  readonly locked: boolean;
}

export type WithStatus<T> = { readonly status: NtStatus } & Partial<T>;
/** STATUS_PENDING with an operation: the host has not answered yet (only with capability hostControl). */
export type CreateGpadlResult = WithStatus<{ gpadl: GpadlHandle }> & { readonly operation?: OperationId };
export type MapGpadlResult = WithStatus<{ mdl: MdlHandle }>;
export type ReadResult = WithStatus<{ data: Uint8Array }>;

/**
 * What the final (stop-and-copy) pass of a migration did, each list of page frame numbers sorted
 * ascending: the pages it copied again because the guest's dirty log named them, the pages it copied
 * again because the server could write them through a mapping (a write mapping), and the pages
 * whose saved bytes still differ from guest memory at the end (writes the snapshot missed).
 */
export interface MigrationReport {
  readonly recopiedGuestDirty: readonly Pfn[];
  readonly recopiedServerWritable: readonly Pfn[];
  readonly missed: readonly Pfn[];
}

/** A call that may block: completed when it returned, or pending until `operationState` says so. */
export interface OperationStart {
  readonly operation: OperationId;
  readonly state: OperationState;
}
export type OperationState = 'pending' | 'completed';

/**
 * How the host behind a channel answers one request of the guest (capability hostControl). Each
 * directive is used once, in the order given, by the next request of its kind on the channel (the
 * ring-buffer GPADL of an open included); a revoke drops any not used (after `revokeSilently` has
 * made it silent).
 */
export type HostDirective =
  /** The next GPADL, once its page list is complete, is answered with GPADL_CREATED and a failure status. */
  | 'refuseGpadl'
  /** The next GPADL's GPADL_CREATED is held back until `hostAnswerDeferred` or a revoke; its create stays pending. */
  | 'deferGpadl'
  /** The next OPENCHANNEL is answered with a failed OPENCHANNEL_RESULT. */
  | 'refuseOpen'
  /**
   * The revoke of the channel (the server's disable) sends RESCIND_CHANNELOFFER and nothing else: the
   * GPADLs whose GPADL_CREATED is held back stay unanswered, and so do the teardowns held back for a
   * mapping or a device, until what holds them ends (a host that answers nothing at a revoke).
   */
  | 'revokeSilently';
export const HOST_DIRECTIVES: readonly HostDirective[] = ['refuseGpadl', 'deferGpadl', 'refuseOpen', 'revokeSilently'];

/** Every host-to-guest channel message a host call caused, in the order the host sent them, as bytes. */
export interface HostReplies {
  readonly replies: readonly Uint8Array[];
}

export interface VmbusImplementation {
  readonly info: ImplementationInfo;

  // Guest memory, as the client sees it.
  allocateBuffer(request: AllocateBufferRequest): Promise<WithStatus<{ buffer: BufferHandle }>>;
  describeBuffer(buffer: BufferHandle): Promise<WithStatus<{ description: BufferDescription }>>;
  writeBuffer(buffer: BufferHandle, offset: number, data: Uint8Array): Promise<NtStatus>;
  readBuffer(buffer: BufferHandle, offset: number, length: number): Promise<ReadResult>;
  /** Builds an MDL chain over guest buffers, one MDL per part, linked through Next. */
  buildMdl(parts: readonly MdlPart[]): Promise<WithStatus<{ mdl: MdlHandle }>>;
  /** The MDLs of a chain, first to last. */
  describeMdl(mdl: MdlHandle): Promise<WithStatus<{ chain: readonly MdlDescription[] }>>;

  // Channel life cycle (VmbChannelAllocate, VmbClientChannelInitSetRingBufferPageCount, Enable, Disable, Cleanup).
  /** A client endpoint is allocated for the device that `server` offers. */
  allocateChannel(request: { readonly role: 'server' } | { readonly role: 'client'; readonly server: EndpointHandle }): Promise<WithStatus<{ endpoint: EndpointHandle }>>;
  setRingBufferPageCount(endpoint: EndpointHandle, incomingPages: number, outgoingPages: number): Promise<NtStatus>;
  /** Server: offers the channel. Client: opens it (ring-buffer GPADL, then OPENCHANNEL) once offered. */
  enableChannel(endpoint: EndpointHandle): Promise<NtStatus>;
  /** Client: closes the channel. Server: revokes the offer (the guest sees a rescind). */
  disableChannel(endpoint: EndpointHandle): Promise<void>;
  cleanupChannel(endpoint: EndpointHandle): Promise<void>;
  endpointInfo(endpoint: EndpointHandle): Promise<WithStatus<{ info: EndpointInfo }>>;

  // Client functions (KMCL_CLIENT_INTERFACE_V1).
  createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number): Promise<CreateGpadlResult>;
  /** `length` 0 describes from `startOffset` to the end of the chain. */
  createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): Promise<CreateGpadlResult>;
  /** Blocks while the server has the GPADL mapped: the operation stays pending until the unmap. */
  deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): Promise<OperationStart>;

  // Server-only functions (KMCL_SERVER_ONLY_METHODS).
  mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): Promise<MapGpadlResult>;
  unmapGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): Promise<void>;
  /** The extra step map leaves to the caller (MmGetSystemAddressForMdlSafe). */
  mapMdlToSystemVa(mdl: MdlHandle): Promise<NtStatus>;
  /** Reads and writes the client buffer through a mapped MDL, at an offset into its byte stream. */
  readMdl(mdl: MdlHandle, offset: number, length: number): Promise<ReadResult>;
  writeMdl(mdl: MdlHandle, offset: number, data: Uint8Array): Promise<NtStatus>;

  operationState(operation: OperationId): Promise<OperationState | 'unknown'>;

  /** With the `violations` capability: everything recorded since the connection started. */
  violations(): Promise<readonly ContractViolation[]>;
  /** With the `trace` capability: every event since the connection started. */
  trace(): Promise<readonly TraceEvent[]>;

  // A VMBus host on the wire (capability `wireHost`), separate from the channels above: the suite
  // plays the guest, byte for byte. Only called when the implementation claims `wireHost`.
  /** The host offers a new channel; the replies hold its OFFERCHANNEL. */
  hostOffer?(): Promise<HostReplies & { readonly channelId: ChannelId }>;
  /** Delivers one guest-to-host channel message (its payload bytes, header included). */
  hostReceive?(message: Uint8Array): Promise<HostReplies>;
  /** A device on the host starts using an accepted GPADL of the channel (OpenVMM `GpadlMapView::map`); fails otherwise. */
  hostHold?(channel: ChannelId, gpadl: GpadlHandle): Promise<NtStatus>;
  /** The device stops using it (drops its view); may let a held-back GPADL_TORNDOWN go. Fails only for a view not held: one of a GPADL torn down since still counts. */
  hostRelease?(channel: ChannelId, gpadl: GpadlHandle): Promise<HostReplies & { readonly status: NtStatus }>;
  /** The host revokes (rescinds) the channel's offer. */
  hostRevoke?(channel: ChannelId): Promise<HostReplies>;

  // Live migration or a snapshot of guest memory by pre-copy (capability `migration`). Only called
  // when the implementation claims `migration`.
  /** Starts pre-copy: the first pass copies every guest page and the guest's dirty log starts. STATUS_INVALID_DEVICE_STATE while one runs. */
  migrationBegin?(): Promise<NtStatus>;
  /** The final pass: copies again what must be, and reports it. STATUS_INVALID_DEVICE_STATE when none runs. */
  migrationFinish?(): Promise<WithStatus<{ report: MigrationReport }>>;
  /** The bytes the last finished migration saved for a buffer range. STATUS_INVALID_DEVICE_STATE before one finished. */
  readSnapshot?(buffer: BufferHandle, offset: number, length: number): Promise<ReadResult>;

  // The host's answers, steered by the suite (capability `hostControl`): the guest under test meets
  // a host that refuses or is slow. Only called when the implementation claims `hostControl`.
  /** The host behind the server endpoint's channel answers the guest's next request of a kind as directed. */
  hostDirect?(server: EndpointHandle, directive: HostDirective): Promise<NtStatus>;
  /** The host sends the GPADL_CREATED(success) it held back (`deferGpadl`); STATUS_INVALID_DEVICE_STATE if it held none. */
  hostAnswerDeferred?(server: EndpointHandle): Promise<NtStatus>;
  /** A create that returned STATUS_PENDING: STATUS_PENDING while it waits, then what it returned. */
  createOutcome?(operation: OperationId): Promise<CreateGpadlResult>;

  /** Ends the connection; the suite starts a new one for every scenario. */
  close(): Promise<void>;
}

/** How the suite gets a fresh connection per scenario, and, where it serves them, a fresh half. */
export interface ImplementationFactory extends HalvesFactory {
  readonly info: ImplementationInfo;
  start(): Promise<VmbusImplementation>;
}

/** Every method of the contract, for adapters that forward calls generically. */
export const CONTRACT_METHODS = [
  'allocateBuffer', 'describeBuffer', 'writeBuffer', 'readBuffer', 'buildMdl', 'describeMdl',
  'allocateChannel', 'setRingBufferPageCount', 'enableChannel', 'disableChannel', 'cleanupChannel', 'endpointInfo',
  'createGpadlFromBuffer', 'createGpadlFromMdl', 'deleteGpadl',
  'mapGpadl', 'unmapGpadl', 'mapMdlToSystemVa', 'readMdl', 'writeMdl',
  'operationState', 'violations', 'trace',
  'hostOffer', 'hostReceive', 'hostHold', 'hostRelease', 'hostRevoke',
  'migrationBegin', 'migrationFinish', 'readSnapshot',
  'hostDirect', 'hostAnswerDeferred', 'createOutcome', 'close',
] as const satisfies ReadonlyArray<keyof VmbusImplementation>;
export type ContractMethod = (typeof CONTRACT_METHODS)[number];

/** The same contract without promises: what an in-process implementation may write instead. */
export type Synchronous<T> = {
  [K in keyof T]: NonNullable<T[K]> extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};
