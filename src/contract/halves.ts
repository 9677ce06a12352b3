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
import type { ImplementationInfo, MigrationReport, ReadResult, VmbusImplementation, WithStatus } from './Implementation.js';
import type { ChannelId, EndpointHandle, GpadlHandle, MdlHandle, OperationId, Pfn } from './handles.js';
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

/** Methods a half has as the whole contract has them: the same arguments, the same results. */
type AsWhole<K extends keyof VmbusImplementation> = Pick<VmbusImplementation, K>;

/**
 * A VMBus guest: guest memory, client endpoints and the client KMCL functions. The memory functions,
 * the ring-buffer setter, the creates and the delete are the whole contract's; the MDL functions
 * act on the MDLs the guest built over its own buffers (its writes are the guest's, choice G28).
 */
export interface GuestHalf
  extends Half,
    AsWhole<
      | 'allocateBuffer' | 'describeBuffer' | 'writeBuffer' | 'readBuffer' | 'buildMdl' | 'describeMdl'
      | 'mapMdlToSystemVa' | 'readMdl' | 'writeMdl' | 'setRingBufferPageCount' | 'endpointInfo'
      | 'createGpadlFromBuffer' | 'createGpadlFromMdl' | 'deleteGpadl'
    > {
  /** The host's DMA: the bytes of guest pages by page frame number. */
  readPages(extents: readonly PageExtent[]): Promise<ReadResult>;
  /** The host's DMA: a write that is the host's, never in the guest's dirty log. */
  writePages(extents: readonly PageExtent[], data: Uint8Array): Promise<NtStatus>;

  /** A client endpoint; which device it drives is told later by {@link bindChannel}. */
  allocateChannel(): Promise<WithStatus<{ endpoint: EndpointHandle }>>;
  /** The device the client endpoint drives has been offered as `channel`; enabled and bound, it opens. */
  bindChannel(endpoint: EndpointHandle, channel: ChannelId): Promise<NtStatus>;
  enableChannel(endpoint: EndpointHandle): Promise<MayBlock<{ status: NtStatus }>>;
  disableChannel(endpoint: EndpointHandle): Promise<MayBlock<object>>;
  cleanupChannel(endpoint: EndpointHandle): Promise<MayBlock<object>>;

  /** One host-to-guest channel message, as bytes. */
  deliver(message: Uint8Array): Promise<void>;

  // Capability migration: the guest's dirty log and snapshot; the host says which pages it could write.
  migrationBegin?: VmbusImplementation['migrationBegin'];
  migrationFinish?(serverWritable: readonly Pfn[]): Promise<WithStatus<{ report: MigrationReport }>>;
  readSnapshot?: VmbusImplementation['readSnapshot'];
}

/**
 * A VMBus host: server endpoints and the server KMCL functions; guest memory only by page frame
 * number. The life cycle (of server endpoints), map, unmap, the MDL functions and the host's
 * capabilities (hostControl, wireHost) are the whole contract's.
 */
export interface HostHalf
  extends Half,
    AsWhole<'enableChannel' | 'disableChannel' | 'cleanupChannel' | 'endpointInfo' | 'mapGpadl' | 'unmapGpadl' | 'mapMdlToSystemVa' | 'describeMdl'>,
    Partial<AsWhole<'hostDirect' | 'hostAnswerDeferred' | 'hostOffer' | 'hostReceive' | 'hostHold' | 'hostRelease' | 'hostRevoke' | 'migrationBegin'>> {
  allocateChannel(): Promise<WithStatus<{ endpoint: EndpointHandle }>>;
  /** Checks a read or write through a mapped MDL and says where its bytes lie in guest memory. */
  accessMdl(mdl: MdlHandle, offset: number, length: number, write: boolean): Promise<WithStatus<{ extents: readonly PageExtent[] }>>;

  /** One guest-to-host channel message, as bytes; `gpadlReadOnly` is choice G17's sideband. */
  deliver(message: Uint8Array, options?: { readonly gpadlReadOnly?: boolean }): Promise<void>;

  // Capability migration: the pages mapped for write at any time since the begin.
  migrationFinish?(): Promise<WithStatus<{ serverWritable: readonly Pfn[] }>>;
}

/** The halves a factory can start, beside (or instead of) a whole implementation. */
export interface HalvesFactory {
  startGuest?(): Promise<GuestHalf>;
  startHost?(): Promise<HostHalf>;
}
