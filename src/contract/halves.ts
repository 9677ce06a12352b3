/**
 * The contract of a half: a VMBus guest or host on its own (docs/halves.md).
 *
 * Real VMBus code comes in halves (Linux and FreeBSD are guests; OpenVMM, QEMU and Hyper-V are
 * hosts). The harness pairs one guest half with one host half and carries every channel message
 * between them as bytes (src/pairing/Pairing.ts), so a half never talks to the other directly: it
 * reports what it sent, and the calls it finished, as {@link HalfEvent}s that the harness drains
 * after every call with `takeEvents()`. A call that blocks on the other half (a create waiting for
 * GPADL_CREATED) returns at once with an operation and finishes in a later `completed` event.
 */
import type {
  AllocateBufferRequest,
  BufferDescription,
  CreateGpadlResult,
  EndpointInfo,
  ImplementationInfo,
  MapGpadlResult,
  MdlDescription,
  MdlPart,
  MigrationReport,
  OperationStart,
  ReadResult,
  VmbusImplementation,
  WithStatus,
} from './Implementation.js';
import type { GpadlFlags } from './flags.js';
import type { BufferHandle, ChannelId, EndpointHandle, GpadlHandle, MdlHandle, OperationId, Pfn } from './handles.js';
import type { NtStatus } from './NtStatus.js';
import type { ContractViolation } from './violations.js';

export type HalfName = 'guest' | 'host';
export const HALF_NAMES: readonly HalfName[] = ['guest', 'host'];

/** Bytes of one page of guest memory, named by its page frame number: how a host reaches guest memory. */
export interface PageExtent {
  readonly pfn: Pfn;
  /** Where the bytes start within the page. */
  readonly offset: number;
  /** How many; `offset + length` is at most a page. */
  readonly length: number;
}

/** What a blocked call returned when it finished: its result as the command would have answered it. */
export type CompletedResult = { readonly status?: NtStatus; readonly gpadl?: GpadlHandle };

/** Something a half did: it posted a channel message, or a call that blocked has returned. */
export type HalfEvent =
  | { readonly send: Uint8Array }
  | { readonly completed: OperationId; readonly result: CompletedResult };

/** A call that may block: its result now, and the operation that will complete it if it blocked. */
export type MayBlock<T> = T & { readonly operation?: OperationId };

interface Half {
  readonly info: ImplementationInfo;
  /** Everything the half did since the last call to this, in order; the harness carries the sends. */
  takeEvents(): readonly HalfEvent[];
  violations(): Promise<readonly ContractViolation[]>;
  close(): Promise<void>;
}

/** A VMBus guest: guest memory, client endpoints and the client KMCL functions. */
export interface GuestHalf extends Half {
  allocateBuffer(request: AllocateBufferRequest): Promise<WithStatus<{ buffer: BufferHandle }>>;
  describeBuffer(buffer: BufferHandle): Promise<WithStatus<{ description: BufferDescription }>>;
  writeBuffer(buffer: BufferHandle, offset: number, data: Uint8Array): Promise<NtStatus>;
  readBuffer(buffer: BufferHandle, offset: number, length: number): Promise<ReadResult>;
  buildMdl(parts: readonly MdlPart[]): Promise<WithStatus<{ mdl: MdlHandle }>>;
  describeMdl(mdl: MdlHandle): Promise<WithStatus<{ chain: readonly MdlDescription[] }>>;
  /** The virtual-address step, reads and writes through an MDL the guest built over its own buffers (the guest's writes, choice G28). */
  mapMdlToSystemVa(mdl: MdlHandle): Promise<NtStatus>;
  readMdl(mdl: MdlHandle, offset: number, length: number): Promise<ReadResult>;
  writeMdl(mdl: MdlHandle, offset: number, data: Uint8Array): Promise<NtStatus>;
  /** The host's DMA: the bytes of guest pages by page frame number. */
  readPages(extents: readonly PageExtent[]): Promise<ReadResult>;
  /** The host's DMA: a write that is the host's, never in the guest's dirty log. */
  writePages(extents: readonly PageExtent[], data: Uint8Array): Promise<NtStatus>;

  /** A client endpoint; which device it drives is told later by {@link bindChannel}. */
  allocateChannel(): Promise<WithStatus<{ endpoint: EndpointHandle }>>;
  /** The device the client endpoint drives has been offered as `channel`; enabled and bound, it opens. */
  bindChannel(endpoint: EndpointHandle, channel: ChannelId): Promise<NtStatus>;
  setRingBufferPageCount(endpoint: EndpointHandle, incomingPages: number, outgoingPages: number): Promise<NtStatus>;
  enableChannel(endpoint: EndpointHandle): Promise<MayBlock<{ status: NtStatus }>>;
  disableChannel(endpoint: EndpointHandle): Promise<MayBlock<object>>;
  cleanupChannel(endpoint: EndpointHandle): Promise<MayBlock<object>>;
  endpointInfo(endpoint: EndpointHandle): Promise<WithStatus<{ info: EndpointInfo }>>;

  createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number): Promise<CreateGpadlResult>;
  createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): Promise<CreateGpadlResult>;
  deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): Promise<OperationStart>;

  /** One host-to-guest channel message, as bytes. */
  deliver(message: Uint8Array): Promise<void>;

  // Capability migration: the guest's dirty log and snapshot; the host says which pages it could write.
  migrationBegin?(): Promise<NtStatus>;
  migrationFinish?(serverWritable: readonly Pfn[]): Promise<WithStatus<{ report: MigrationReport }>>;
  readSnapshot?(buffer: BufferHandle, offset: number, length: number): Promise<ReadResult>;
}

/** A VMBus host: server endpoints and the server KMCL functions; guest memory only by page frame number. */
export interface HostHalf extends Half {
  allocateChannel(): Promise<WithStatus<{ endpoint: EndpointHandle }>>;
  enableChannel(endpoint: EndpointHandle): Promise<NtStatus>;
  disableChannel(endpoint: EndpointHandle): Promise<void>;
  cleanupChannel(endpoint: EndpointHandle): Promise<void>;
  endpointInfo(endpoint: EndpointHandle): Promise<WithStatus<{ info: EndpointInfo }>>;

  mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): Promise<MapGpadlResult>;
  unmapGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): Promise<void>;
  mapMdlToSystemVa(mdl: MdlHandle): Promise<NtStatus>;
  describeMdl(mdl: MdlHandle): Promise<WithStatus<{ chain: readonly MdlDescription[] }>>;
  /** Checks a read or write through a mapped MDL and says where its bytes lie in guest memory. */
  accessMdl(mdl: MdlHandle, offset: number, length: number, write: boolean): Promise<WithStatus<{ extents: readonly PageExtent[] }>>;

  /** One guest-to-host channel message, as bytes; `gpadlReadOnly` is choice G17's sideband. */
  deliver(message: Uint8Array, options?: { readonly gpadlReadOnly?: boolean }): Promise<void>;

  // Capability hostControl and wireHost: as the whole contract's methods of the same names.
  hostDirect?: VmbusImplementation['hostDirect'];
  hostAnswerDeferred?: VmbusImplementation['hostAnswerDeferred'];
  hostOffer?: VmbusImplementation['hostOffer'];
  hostReceive?: VmbusImplementation['hostReceive'];
  hostHold?: VmbusImplementation['hostHold'];
  hostRelease?: VmbusImplementation['hostRelease'];
  hostRevoke?: VmbusImplementation['hostRevoke'];

  // Capability migration: the pages mapped for write at any time since the begin.
  migrationBegin?(): Promise<NtStatus>;
  migrationFinish?(): Promise<WithStatus<{ serverWritable: readonly Pfn[] }>>;
}

/** The halves a factory can start, beside (or instead of) a whole implementation. */
export interface HalvesFactory {
  startGuest?(): Promise<GuestHalf>;
  startHost?(): Promise<HostHalf>;
}
