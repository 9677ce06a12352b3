/**
 * The reference VMBus: one guest–host connection with the KMCL GPADL functions on top and the
 * channel messages underneath. Deterministic, in memory, synchronous; the in-process adapter puts
 * the asynchronous contract over it.
 *
 * Every choice it makes where the docs are silent is one of README "Choices" (cited as Gn below);
 * rule ids in the comments are the feature rules that check the behaviour.
 */
import {
  type AllocateBufferRequest,
  type BufferDescription,
  type CreateGpadlResult,
  type EndpointInfo,
  type EndpointState,
  HOST_DIRECTIVES,
  type HostDirective,
  type ImplementationInfo,
  type MapGpadlResult,
  type MdlDescription,
  type MdlPart,
  type MigrationReport,
  type OperationStart,
  type OperationState,
  type ReadResult,
  type Synchronous,
  type VmbusImplementation,
  type WithStatus,
} from '../contract/Implementation.js';
import { hasUndefinedBits, isReadOnly, type GpadlFlags } from '../contract/flags.js';
import {
  bufferHandle,
  endpointHandle,
  mdlHandle,
  operationId,
  PAGE_SIZE,
  pagesSpanned,
  type BufferHandle,
  type ChannelId,
  type EndpointHandle,
  type GpadlHandle,
  type MdlHandle,
  type OperationId,
  type Pfn,
} from '../contract/handles.js';
import {
  STATUS_ACCESS_DENIED,
  STATUS_DEVICE_BUSY,
  STATUS_DEVICE_REMOVED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_PARAMETER_1,
  STATUS_INVALID_PARAMETER_2,
  STATUS_INVALID_PARAMETER_3,
  STATUS_NO_MEMORY,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
  type NtStatus,
} from '../contract/NtStatus.js';
import type { CompletedResult, HalfName, PageExtent } from '../contract/halves.js';
import type { TraceEvent } from '../contract/trace.js';
import { VIOLATION_KINDS, type ContractViolation, type ViolationKind } from '../contract/violations.js';
import { MAX_RANGE_BUFFER_BYTES, type ChannelMessage, type GuestToHostMessage, type HostToGuestMessage } from '../protocol/messages.js';
import { rangeBufferLength, type GpaRange } from '../protocol/ranges.js';
import { GpadlHandleAllocator } from './GpadlHandleAllocator.js';
import { chainByteCount, GuestMemory, locateInChain, pageExtents, sliceChain, subSpan, type GuestBuffer, type PageSpan } from './GuestMemory.js';
import { GuestVmbus, type GuestGpadl } from './GuestVmbus.js';
import { HostVmbus, StandaloneHost, type HostGpadl } from './HostVmbus.js';
import { Migration, type MigrationResult } from './Migration.js';
import { Sideband } from './Sideband.js';
import { TraceLog } from './TraceLog.js';
import { Wire } from './Wire.js';

export const REFERENCE_INFO: ImplementationInfo = {
  name: 'vmbus-conformance reference model',
  version: '0.1.0',
  language: 'TypeScript',
  capabilities: { trace: true, violations: true, mdl: true, lifecycle: true, wireHost: true, migration: true, hostControl: true },
};

export interface ReferenceOptions {
  /** Record the event trace (on by default; off for fuzzing speed). */
  readonly trace?: boolean;
  /** Send every channel message as its byte encoding, traced as bytes (on by default; off for speed). */
  readonly wireBytes?: boolean;
  /**
   * Serve one half only (src/model/halves): the other end of the wire is elsewhere. Messages for it
   * go to `send`, and calls that blocked on it report their return to `completed`.
   */
  readonly half?: {
    readonly name: HalfName;
    readonly send: (message: ChannelMessage) => void;
    readonly completed: (operation: OperationId, result: CompletedResult) => void;
  };
}

/** Ring sizes a client opens with unless VmbClientChannelInitSetRingBufferPageCount says otherwise. */
const DEFAULT_RING_PAGES = { incoming: 2, outgoing: 2 };
const MAX_BUFFER_PAGES = 1 << 16;

interface EndpointBase {
  readonly handle: EndpointHandle;
  state: EndpointState;
  freed: boolean;
}
interface ServerEndpoint extends EndpointBase {
  readonly role: 'server';
  /** The offer this endpoint made, from enable until disable. */
  channel: ChannelId | null;
  client: ClientEndpoint | null;
  /** The server's mappings, by GPADL handle: at most one per GPADL. */
  readonly mappings: Map<GpadlHandle, Mapping>;
}
/**
 * In a guest half, the device a client endpoint drives: the server endpoint is on the other side of
 * the wire, and the harness tells the guest which offered channel it is (`bindRemoteChannel`).
 */
interface RemoteOffer {
  readonly role: 'remote';
  readonly handle: EndpointHandle;
  channel: ChannelId | null;
  readonly freed: false;
  client: ClientEndpoint | null;
}
interface ClientEndpoint extends EndpointBase {
  readonly role: 'client';
  /** The server endpoint whose offer it drives (in a guest half, the remote offer). */
  readonly server: ServerEndpoint | RemoteOffer;
  /** The channel it opened, while open. */
  channel: ChannelId | null;
  /** Every channel it ever opened: a rescinded one is released when the client is cleaned up. */
  readonly opened: Set<ChannelId>;
  ring: GuestGpadl | null;
  /** The ring-buffer GPADL of the open in flight, while the host holds its GPADL_CREATED back. */
  opening: GuestGpadl | null;
  ringPages: { incoming: number; outgoing: number };
  /** Set by its first enable: the init setters are for the initial Disabled state only (choice G6). */
  enabledOnce?: true;
}
type Endpoint = ServerEndpoint | ClientEndpoint;

/** What a create describes: its spans of guest memory and the buffers they lie in. */
interface Described {
  readonly spans: readonly PageSpan[];
  readonly buffers: readonly GuestBuffer[];
}

interface Mapping {
  readonly gpadl: HostGpadl;
  readonly writeAccess: boolean;
  readonly mdl: MdlHandle;
  released: boolean;
}
interface MdlRecord {
  readonly chain: readonly PageSpan[];
  readonly buffers: readonly GuestBuffer[];
  /** Set when a server mapping returned it; such an MDL dies with the unmap. */
  readonly mapping: Mapping | null;
  systemVa: boolean;
}

export class ReferenceVmbus implements Synchronous<VmbusImplementation> {
  readonly info = REFERENCE_INFO;
  protected readonly log: TraceLog;
  protected readonly memory = new GuestMemory();
  protected readonly guest: GuestVmbus;
  protected readonly host: HostVmbus;
  /** The one wire between guest and host: both sides post on it, and a fake may wrap it. */
  protected readonly wire: Wire;
  private readonly endpoints = new Map<EndpointHandle, Endpoint>();
  private readonly buffers = new Map<BufferHandle, GuestBuffer>();
  protected readonly mdls = new Map<MdlHandle, MdlRecord>();
  /** Deletes and creates still waiting; any earlier operation id not in here has completed (memory stays bounded). */
  protected readonly pendingOperations = new Set<OperationId>();
  /** Creates waiting for a GPADL_CREATED the host holds back (capability hostControl), by GPADL handle. */
  private readonly pendingCreates = new Map<GpadlHandle, { readonly operation: OperationId; readonly fn: string }>();
  /** What each create that was pending ended with, for `createOutcome`. */
  private readonly createOutcomes = new Map<OperationId, CreateGpadlResult>();
  private readonly recorded: ContractViolation[] = [];
  private readonly half: ReferenceOptions['half'];
  /** What the guest's KMCL tells the host's about read-only GPADLs (choice G17). */
  private readonly sideband: Sideband;
  /** A host half's pages mapped for write since its migration began (capability migration). */
  private writeLog: Set<number> | null = null;
  /** The delete being called, while it runs. */
  private returning: OperationId | null = null;
  private nextEndpoint = 0x100;
  private nextBuffer = 0x1000;
  private readonly firstMdl = 0x2000;
  private nextMdl = this.firstMdl;
  private nextOperation = 1;
  /** The `wireHost` host: its own HostVmbus, apart from the connection above, made on first use. */
  private standalone: StandaloneHost | undefined;
  /** The migration running (capability migration), and the pages mapped for write at any time during it (choice G28). */
  private migration: { readonly run: Migration; readonly writable: Set<number> } | null = null;
  /** The last finished migration: what `readSnapshot` reads. */
  private snapshot: Migration | null = null;

  constructor(options: ReferenceOptions = {}) {
    this.log = new TraceLog(options.trace ?? true);
    this.half = options.half;
    const wire = (this.wire = new Wire(this.log, options.wireBytes ?? true));
    const sideband = (this.sideband = new Sideband());
    this.host = new HostVmbus(wire, sideband, {
      opened: (channel) => this.serverFor(channel, (server) => (server.state = 'Opened')),
      closed: (channel) => this.serverFor(channel, (server) => (server.state = 'Closed')),
    });
    this.guest = new GuestVmbus(wire, this.createHandleAllocator(), sideband, {
      rescinded: (channel) => this.onRescind(channel),
      gone: (gpadl) => this.completeAll(gpadl.waiters),
      settled: (gpadl) => this.settleCreate(gpadl),
    });
    const half = options.half;
    wire.connect({
      host: (m) => this.hostEnd(m),
      guest: half?.name === 'host' ? half.send : (m) => this.guest.receive(m),
    });
  }

  /**
   * Where a guest-to-host message goes once it has crossed the wire (and been traced): this model's
   * host, or, in a guest half, the harness. A fake that lies about what it sends overrides this.
   */
  protected hostEnd(message: GuestToHostMessage): void {
    if (this.half?.name === 'guest') this.half.send(message);
    else this.host.receive(message);
  }

  /** How the guest picks GPADL ids (choice G14); called once, from the constructor, so a faulty allocator can be put in. */
  protected createHandleAllocator(): GpadlHandleAllocator {
    return new GpadlHandleAllocator();
  }

  // ---- A host on the wire (capability wireHost) -----------------------------------------------

  /** The host that the `host*` methods drive; a faulty host overrides this to misbehave. */
  protected createStandaloneHost(): StandaloneHost {
    return new StandaloneHost();
  }

  private get wireHost(): StandaloneHost {
    this.standalone ??= this.createStandaloneHost();
    return this.standalone;
  }

  hostOffer(): { channelId: ChannelId; replies: Uint8Array[] } {
    return this.wireHost.offer();
  }

  hostReceive(message: Uint8Array): { replies: Uint8Array[] } {
    return this.wireHost.receive(message);
  }

  hostHold(channel: ChannelId, gpadl: GpadlHandle): NtStatus {
    return this.wireHost.hold(channel, gpadl) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
  }

  hostRelease(channel: ChannelId, gpadl: GpadlHandle): { status: NtStatus; replies: Uint8Array[] } {
    const { released, replies } = this.wireHost.release(channel, gpadl);
    return { status: released ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER, replies };
  }

  hostRevoke(channel: ChannelId): { replies: Uint8Array[] } {
    return this.wireHost.revoke(channel);
  }

  // ---- One half of a pairing (src/model/halves, docs/halves.md) --------------------------------

  /** A guest half's client endpoint: its server endpoint is across the wire, named later by `bindRemoteChannel`. */
  allocateRemoteClient(): WithStatus<{ endpoint: EndpointHandle }> {
    return this.traced('VmbChannelAllocate', { role: 'client' }, () => {
      const handle = endpointHandle(this.nextEndpoint++);
      this.addClient(handle, { role: 'remote', handle, channel: null, freed: false, client: null });
      return { status: STATUS_SUCCESS, endpoint: handle };
    });
  }

  /** The device a guest half's client endpoint drives has been offered as `channel`: an enabled endpoint opens it. */
  bindRemoteChannel(endpoint: EndpointHandle, channel: ChannelId): NtStatus {
    const known = this.live(endpoint);
    if (known === undefined) return STATUS_INVALID_HANDLE;
    if (known.role !== 'client' || known.server.role !== 'remote') return STATUS_INVALID_DEVICE_REQUEST;
    if (!this.guest.isOffered(channel)) return STATUS_INVALID_PARAMETER;
    known.server.channel = channel;
    if (known.state === 'Enabled') this.open(known);
    return STATUS_SUCCESS;
  }

  /** A guest half receives a host-to-guest message that the harness carried. */
  deliverToGuest(message: HostToGuestMessage): void {
    this.wire.toGuest(message);
  }

  /** A host half receives a guest-to-host message; `gpadlReadOnly` is the sideband of choice G17 for a GPADL_HEADER. */
  deliverToHost(message: GuestToHostMessage, gpadlReadOnly = false): void {
    if (message.type === 'GPADL_HEADER') this.sideband.declare(message.childRelid, message.gpadl, gpadlReadOnly);
    this.wire.toHost(message);
  }

  /** A host half's read or write through a mapped MDL: checked as readMdl and writeMdl are, then where its bytes lie. */
  locateMdl(mdl: MdlHandle, offset: number, length: number, write: boolean): WithStatus<{ extents: PageExtent[] }> {
    const access = this.accessMdl(write ? 'writeMdl' : 'readMdl', mdl, offset, length);
    if (access.status !== STATUS_SUCCESS) return { status: access.status };
    const extents: PageExtent[] = [];
    locateInChain(access.chain!, offset, length, (span, at, n) => pageExtents(span, at, n, extents));
    return { status: STATUS_SUCCESS, extents };
  }

  /** A guest half's memory, reached by the host through the harness (DMA). */
  readPages(extents: readonly PageExtent[]): ReadResult {
    const data = new Uint8Array(extents.reduce((sum, e) => sum + e.length, 0));
    return validExtents(extents) && this.memory.readExtents(extents, data) ? { status: STATUS_SUCCESS, data } : { status: STATUS_INVALID_PARAMETER };
  }

  writePages(extents: readonly PageExtent[], data: Uint8Array): NtStatus {
    const fitsData = extents.reduce((sum, e) => sum + e.length, 0) === data.length;
    return fitsData && validExtents(extents) && this.memory.writeExtents(extents, data) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
  }

  /** A host half's part of a migration: note the pages mapped for write from now on. */
  beginWriteLog(): NtStatus {
    if (this.writeLog !== null) return STATUS_INVALID_DEVICE_STATE;
    this.writeLog = new Set(this.writeMappedPages());
    return STATUS_SUCCESS;
  }

  /** Every page mapped for write at any time since `beginWriteLog` (choice G28). */
  takeWriteLog(): WithStatus<{ serverWritable: Pfn[] }> {
    const log = this.writeLog;
    if (log === null) return { status: STATUS_INVALID_DEVICE_STATE };
    this.writeLog = null;
    return { status: STATUS_SUCCESS, serverWritable: [...this.serverWritablePages(log)].sort((a, b) => a - b) as Pfn[] };
  }

  /** A guest half's migration finish: the host said which pages it could write. */
  finishMigration(serverWritable: readonly Pfn[]): WithStatus<{ report: MigrationReport }> {
    const migration = this.migration;
    if (migration === null) return { status: STATUS_INVALID_DEVICE_STATE };
    for (const page of serverWritable) migration.writable.add(page);
    return this.migrationFinish();
  }

  // ---- Migration (capability migration) ------------------------------------------------------

  /** Pre-copy starts: every guest page is copied and the guest's dirty log starts (src/model/Migration.ts). */
  migrationBegin(): NtStatus {
    if (this.migration !== null) return STATUS_INVALID_DEVICE_STATE;
    this.migration = { run: new Migration(this.memory), writable: new Set(this.writeMappedPages()) };
    return STATUS_SUCCESS;
  }

  /**
   * Stop-and-copy. Choice G28: the server-writable pages are those of every GPADL mapped for write
   * at any time during the migration (at its start, made during it, or still mapped at the finish),
   * since a mapping released before the finish may have been written while it lasted.
   */
  migrationFinish(): WithStatus<{ report: MigrationReport }> {
    const migration = this.migration;
    if (migration === null) return { status: STATUS_INVALID_DEVICE_STATE };
    this.migration = null;
    const result = migration.run.finish(this.serverWritablePages(migration.writable));
    this.snapshot = migration.run;
    return { status: STATUS_SUCCESS, report: this.migrationReport(result) };
  }

  readSnapshot(buffer: BufferHandle, offset: number, length: number): ReadResult {
    if (this.snapshot === null) return { status: STATUS_INVALID_DEVICE_STATE };
    const known = this.buffers.get(buffer);
    if (known === undefined || !fits(offset, length, known.byteCount)) return { status: STATUS_INVALID_PARAMETER };
    return { status: STATUS_SUCCESS, data: this.snapshot.readSaved(known, offset, length) };
  }

  /**
   * The pages the final pass treats as dirty for the server (G28; a faulty migration overrides this):
   * those mapped for write at the start, plus every write mapping made since (see mapGpadl), which
   * already includes whatever is still mapped at the finish.
   */
  protected serverWritablePages(writableDuringMigration: ReadonlySet<number>): Iterable<number> {
    return writableDuringMigration;
  }

  /** The pages of every GPADL the server has mapped now, only those mapped for write unless `all`. */
  protected writeMappedPages(all = false): number[] {
    const pages: number[] = [];
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.role !== 'server') continue;
      for (const mapping of endpoint.mappings.values()) {
        if (mapping.writeAccess || all) for (const range of mapping.gpadl.ranges) pages.push(...range.pfns);
      }
    }
    return pages;
  }

  protected migrationReport(result: MigrationResult): MigrationReport {
    const sorted = (pages: ReadonlySet<number>): Pfn[] => [...pages].sort((a, b) => a - b) as Pfn[];
    return { recopiedGuestDirty: sorted(result.guestDirty), recopiedServerWritable: sorted(result.serverWritable), missed: sorted(result.missed) };
  }

  // ---- Guest memory -------------------------------------------------------------------------

  allocateBuffer(request: AllocateBufferRequest): WithStatus<{ buffer: BufferHandle }> {
    const byteOffset = request.byteOffset ?? 0;
    const { byteCount } = request;
    if (!isWhole(byteOffset) || byteOffset >= PAGE_SIZE || !isWhole(byteCount) || byteCount === 0) return { status: STATUS_INVALID_PARAMETER };
    const pageCount = pagesSpanned(byteOffset, byteCount);
    const pfns = pageCount <= MAX_BUFFER_PAGES ? this.memory.allocatePages(pageCount) : undefined;
    if (pfns === undefined) return { status: STATUS_NO_MEMORY };
    const handle = bufferHandle(this.nextBuffer++);
    this.buffers.set(handle, { handle, byteOffset, byteCount, pfns, lockCount: 0 });
    return { status: STATUS_SUCCESS, buffer: handle };
  }

  describeBuffer(buffer: BufferHandle): WithStatus<{ description: BufferDescription }> {
    const known = this.buffers.get(buffer);
    if (known === undefined) return { status: STATUS_INVALID_PARAMETER };
    const { byteOffset, byteCount, pfns } = describeSpan(known);
    return { status: STATUS_SUCCESS, description: { byteOffset, byteCount, pfns, locked: known.lockCount > 0 } };
  }

  writeBuffer(buffer: BufferHandle, offset: number, data: Uint8Array): NtStatus {
    const known = this.buffers.get(buffer);
    if (known === undefined || !fits(offset, data.length, known.byteCount)) return STATUS_INVALID_PARAMETER;
    this.memory.write(known, offset, data);
    return STATUS_SUCCESS;
  }

  readBuffer(buffer: BufferHandle, offset: number, length: number): ReadResult {
    const known = this.buffers.get(buffer);
    if (known === undefined || !fits(offset, length, known.byteCount)) return { status: STATUS_INVALID_PARAMETER };
    const data = new Uint8Array(length);
    this.memory.read(known, offset, length, data, 0);
    return { status: STATUS_SUCCESS, data };
  }

  buildMdl(parts: readonly MdlPart[]): WithStatus<{ mdl: MdlHandle }> {
    const chain: PageSpan[] = [];
    const buffers: GuestBuffer[] = [];
    for (const part of parts) {
      const buffer = this.buffers.get(part.buffer);
      if (buffer === undefined) return { status: STATUS_INVALID_PARAMETER };
      const offset = part.byteOffset ?? 0;
      const length = part.byteCount ?? buffer.byteCount - offset;
      if (length === 0 || !fits(offset, length, buffer.byteCount)) return { status: STATUS_INVALID_PARAMETER };
      chain.push(subSpan(buffer, offset, length));
      buffers.push(buffer);
    }
    if (chain.length === 0) return { status: STATUS_INVALID_PARAMETER };
    const mdl = mdlHandle(this.nextMdl++);
    this.mdls.set(mdl, { chain, buffers, mapping: null, systemVa: false });
    return { status: STATUS_SUCCESS, mdl };
  }

  describeMdl(mdl: MdlHandle): WithStatus<{ chain: readonly MdlDescription[] }> {
    const known = this.mdls.get(mdl);
    if (known === undefined) return { status: STATUS_INVALID_PARAMETER };
    return { status: STATUS_SUCCESS, chain: known.chain.map((span) => ({ ...describeSpan(span), systemVa: known.systemVa })) };
  }

  // ---- Channel life cycle -------------------------------------------------------------------

  allocateChannel(request: { readonly role: 'server' } | { readonly role: 'client'; readonly server: EndpointHandle }): WithStatus<{ endpoint: EndpointHandle }> {
    return this.traced('VmbChannelAllocate', { ...request }, () => {
      const handle = endpointHandle(this.nextEndpoint++);
      if (request.role === 'server') {
        this.endpoints.set(handle, { role: 'server', handle, state: 'Disabled', freed: false, channel: null, client: null, mappings: new Map() });
        return { status: STATUS_SUCCESS, endpoint: handle };
      }
      const server = this.live(request.server);
      if (server === undefined) return { status: STATUS_INVALID_HANDLE };
      if (server.role !== 'server') return { status: STATUS_INVALID_PARAMETER };
      if (server.client !== null) return { status: STATUS_INVALID_DEVICE_STATE };
      this.addClient(handle, server);
      return { status: STATUS_SUCCESS, endpoint: handle };
    });
  }

  private addClient(handle: EndpointHandle, server: ServerEndpoint | RemoteOffer): ClientEndpoint {
    const client: ClientEndpoint = { role: 'client', handle, state: 'Disabled', freed: false, server, channel: null, opened: new Set(), ring: null, opening: null, ringPages: { ...DEFAULT_RING_PAGES } };
    server.client = client;
    this.endpoints.set(handle, client);
    return client;
  }

  /** VmbClientChannelInitSetRingBufferPageCount (choice G6): only before the endpoint's first enable, so not after a disable either. */
  setRingBufferPageCount(endpoint: EndpointHandle, incomingPages: number, outgoingPages: number): NtStatus {
    return this.tracedStatus('VmbClientChannelInitSetRingBufferPageCount', { endpoint, incomingPages, outgoingPages }, () => {
      const client = this.live(endpoint);
      if (client === undefined || client.role !== 'client' || client.state !== 'Disabled' || client.enabledOnce) return STATUS_INVALID_PARAMETER_1;
      if (!isWhole(incomingPages) || incomingPages === 0) return STATUS_INVALID_PARAMETER_2;
      if (!isWhole(outgoingPages) || outgoingPages === 0) return STATUS_INVALID_PARAMETER_3;
      client.ringPages = { incoming: incomingPages, outgoing: outgoingPages };
      return STATUS_SUCCESS;
    });
  }

  /** Server: offers the channel. Client: opens it if offered, or waits for the offer (header state model). */
  enableChannel(endpoint: EndpointHandle): NtStatus {
    return this.tracedStatus('VmbChannelEnable', { endpoint }, () => {
      const known = this.live(endpoint);
      if (known === undefined) return STATUS_INVALID_HANDLE;
      if (known.state !== 'Disabled') return STATUS_INVALID_DEVICE_STATE;
      known.state = 'Enabled';
      if (known.role === 'client') known.enabledOnce = true;
      if (known.role === 'server') {
        known.channel = this.host.offer();
        if (known.client?.state === 'Enabled') this.open(known.client);
      } else if (known.server.channel !== null && !known.server.freed) {
        this.open(known);
      }
      return STATUS_SUCCESS;
    });
  }

  /**
   * Creates the ring-buffer GPADL, then sends OPENCHANNEL naming it; a failed open tears it down.
   * Enable does not wait for the open: if the host holds the ring's GPADL_CREATED back, the open
   * goes on when the answer comes (`settleCreate`).
   */
  private open(client: ClientEndpoint): void {
    const channel = client.server.channel!;
    const { incoming, outgoing } = client.ringPages;
    const pfns = this.memory.allocatePages(incoming + outgoing);
    if (pfns === undefined) return;
    const range: GpaRange = { byteOffset: 0, byteCount: (incoming + outgoing) * PAGE_SIZE, pfns };
    const ring = this.guest.establishGpadl(channel, [range], { readOnly: false, owner: null, buffers: [] });
    if (ring.state.kind !== 'Creating') return this.openWithRing(client, ring);
    client.opening = ring;
  }

  private openWithRing(client: ClientEndpoint, ring: GuestGpadl): void {
    if (ring.state.kind !== 'Created') return;
    // The guest-to-host ring comes first, so the host's outgoing ring starts after `outgoing` pages.
    this.guest.openChannel(ring.channel, ring, client.ringPages.outgoing, (opened) => {
      // A client disabled or freed while its OPENCHANNEL waited gives the open up.
      const wanted = client.state === 'Enabled' && !client.freed;
      if (opened && !wanted) this.guest.closeChannel(ring.channel);
      if (!opened || !wanted) return this.guest.teardownGpadl(ring);
      client.state = 'Opened';
      client.channel = ring.channel;
      client.opened.add(ring.channel);
      client.ring = ring;
    });
  }

  /** Choice G7: close (client) or rescind (server) without waiting for mappings. */
  disableChannel(endpoint: EndpointHandle): void {
    this.tracedVoid('VmbChannelDisable', { endpoint }, () => {
      const known = this.liveOrViolation('VmbChannelDisable', endpoint);
      if (known === undefined || known.state === 'Disabled') return;
      if (known.role === 'server') {
        const channel = known.channel;
        // The server must retire its work before the channel goes (EvtVmbChannelSuspend): a mapping
        // it still holds outlives the rescind, after which the guest may free those pages.
        for (const mapping of known.mappings.values()) {
          this.violation('MappingLiveAtDisable', 'VmbChannelDisable', { endpoint, gpadl: mapping.gpadl.id });
        }
        known.state = 'Disabled';
        known.channel = null;
        if (channel !== null) this.host.revoke(channel);
        return;
      }
      const channel = known.channel;
      known.state = 'Disabled';
      known.opening = null;
      if (channel === null) return;
      for (const gpadl of this.gpadlsOf(known)) {
        this.violation('GpadlLiveAtClose', 'VmbChannelDisable', { endpoint, gpadl: gpadl.handle });
      }
      this.guest.closeChannel(channel);
      if (known.ring !== null) this.guest.teardownGpadl(known.ring);
      known.ring = null;
      known.channel = null;
    });
  }

  cleanupChannel(endpoint: EndpointHandle): void {
    this.tracedVoid('VmbChannelCleanup', { endpoint }, () => {
      const known = this.liveOrViolation('VmbChannelCleanup', endpoint);
      if (known === undefined) return;
      if (known.state !== 'Disabled') {
        this.violation('CleanupOfEnabledChannel', 'VmbChannelCleanup', { endpoint });
        return;
      }
      known.freed = true;
      if (known.role === 'server') {
        for (const mapping of [...known.mappings.values()]) {
          this.violation('MappingLeakedAtCleanup', 'VmbChannelCleanup', { endpoint, gpadl: mapping.gpadl.id });
          this.releaseMapping(known, mapping);
        }
        return;
      }
      for (const gpadl of this.gpadlsOf(known)) {
        this.violation('GpadlLeakedAtCleanup', 'VmbChannelCleanup', { endpoint, gpadl: gpadl.handle });
        this.guest.teardownGpadl(gpadl);
      }
      known.server.client = null;
      for (const channel of known.opened) this.guest.releaseChannel(channel);
    });
  }

  endpointInfo(endpoint: EndpointHandle): WithStatus<{ info: EndpointInfo }> {
    const known = this.live(endpoint);
    if (known === undefined) return { status: STATUS_INVALID_HANDLE };
    const channelId = known.role === 'server' ? known.channel : known.channel ?? known.server.channel;
    const ringGpadl = known.role === 'client' && known.ring !== null ? known.ring.handle : null;
    return { status: STATUS_SUCCESS, info: { role: known.role, state: known.state, channelId, ringGpadl } };
  }

  // ---- Client GPADL functions ---------------------------------------------------------------

  createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number): CreateGpadlResult {
    return this.traced('VmbChannelCreateGpadlFromBuffer', { endpoint, flags, buffer, byteCount }, () => {
      const known = this.buffers.get(buffer);
      const describe = (): Described | undefined =>
        known === undefined || byteCount === 0 || !fits(0, byteCount, known.byteCount)
          ? undefined
          : { spans: [subSpan(known, 0, byteCount)], buffers: [known] };
      return this.createGpadl('VmbChannelCreateGpadlFromBuffer', endpoint, flags, describe);
    });
  }

  createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): CreateGpadlResult {
    return this.traced('VmbChannelCreateGpadlFromMdl', { endpoint, flags, mdl, startOffset, length }, () => {
      const known = this.mdls.get(mdl);
      const describe = (): Described | undefined => {
        // The MDL a server mapping returned is the host's view, not buffers the client owns: none of its MDLs.
        if (known === undefined || known.mapping !== null || !isWhole(startOffset) || !isWhole(length)) return undefined;
        const total = chainByteCount(known.chain);
        // Length 0 means "to the end of the chain" (the Create-from-MDL page).
        const effective = length === 0 ? total - startOffset : length;
        if (startOffset >= total || effective <= 0 || !fits(startOffset, effective, total)) return undefined;
        const parts = sliceChain(known.chain, startOffset, effective);
        // Only the buffers the described bytes lie in are probed and locked.
        return { spans: parts.map((p) => p.span), buffers: [...new Set(parts.map((p) => known.buffers[p.part]!))] };
      };
      return this.createGpadl('VmbChannelCreateGpadlFromMdl', endpoint, flags, describe);
    });
  }

  /** Checks in the order of choices G2, G9, G15, then sends the GPADL and waits for the host (CREATE rules). */
  private createGpadl(fn: string, endpoint: EndpointHandle, flags: GpadlFlags, describe: () => Described | undefined): CreateGpadlResult {
    if (hasUndefinedBits(flags)) return { status: STATUS_INVALID_PARAMETER };
    const known = this.live(endpoint);
    if (known === undefined) return { status: STATUS_INVALID_HANDLE };
    if (known.role !== 'client') return { status: STATUS_INVALID_DEVICE_REQUEST };
    if (known.state !== 'Opened' || known.channel === null) return { status: STATUS_INVALID_DEVICE_STATE };
    const described = describe();
    if (described === undefined) return { status: STATUS_INVALID_PARAMETER };
    const { spans, buffers } = described;
    const ranges: GpaRange[] = spans.map((span) => ({ byteOffset: span.byteOffset, byteCount: span.byteCount, pfns: span.pfns }));
    if (rangeBufferLength(ranges) > MAX_RANGE_BUFFER_BYTES) return { status: STATUS_INVALID_PARAMETER };
    const gpadl = this.guest.establishGpadl(known.channel, ranges, { readOnly: isReadOnly(flags), owner: known.handle, buffers });
    if (gpadl.state.kind !== 'Creating') return createResult(gpadl);
    // The host holds GPADL_CREATED back: the call blocks, and completes when the answer or a rescind comes.
    const operation = operationId(this.nextOperation++);
    this.pendingOperations.add(operation);
    this.pendingCreates.set(gpadl.handle, { operation, fn });
    return { status: STATUS_PENDING, operation };
  }

  private settleCreate(gpadl: GuestGpadl): void {
    if (gpadl.owner === null) {
      // A ring-buffer GPADL answered late. Its client still waits for it unless it was disabled
      // meanwhile (which gave that open up, even if the client was enabled again since).
      const client = [...this.endpoints.values()].find((e): e is ClientEndpoint => e.role === 'client' && e.opening === gpadl);
      if (client !== undefined) client.opening = null;
      // The answer is being delivered: the OPENCHANNEL it lets go can be answered only after it.
      return this.wire.whenIdle(() => (client !== undefined ? this.openWithRing(client, gpadl) : this.guest.teardownGpadl(gpadl)));
    }
    const pending = this.pendingCreates.get(gpadl.handle);
    if (pending === undefined) return;
    this.pendingCreates.delete(gpadl.handle);
    this.pendingOperations.delete(pending.operation);
    const result = createResult(gpadl);
    this.createOutcomes.set(pending.operation, result);
    this.log.record({ kind: 'completed', fn: pending.fn, operation: pending.operation });
    this.half?.completed(pending.operation, result);
  }

  /** A create that returned STATUS_PENDING: STATUS_PENDING while it waits, then its result (capability hostControl). */
  createOutcome(operation: OperationId): CreateGpadlResult {
    for (const pending of this.pendingCreates.values()) if (pending.operation === operation) return { status: STATUS_PENDING };
    return this.createOutcomes.get(operation) ?? { status: STATUS_INVALID_PARAMETER };
  }

  // ---- The host's answers, steered by the suite (capability hostControl) ----------------------

  /** The host behind a server endpoint's channel answers the guest's next request of a kind as directed. */
  hostDirect(endpoint: EndpointHandle, directive: HostDirective): NtStatus {
    if (!HOST_DIRECTIVES.includes(directive)) return STATUS_INVALID_PARAMETER;
    const channel = this.offeredChannel(endpoint);
    if (typeof channel !== 'number') return channel.status;
    return this.host.direct(channel, directive) ? STATUS_SUCCESS : STATUS_INVALID_DEVICE_STATE;
  }

  /** The host answers the GPADL_CREATED it held back (`deferGpadl`) with success. */
  hostAnswerDeferred(endpoint: EndpointHandle): NtStatus {
    const channel = this.offeredChannel(endpoint);
    if (typeof channel !== 'number') return channel.status;
    return this.host.answerDeferred(channel) ? STATUS_SUCCESS : STATUS_INVALID_DEVICE_STATE;
  }

  private offeredChannel(endpoint: EndpointHandle): ChannelId | { status: NtStatus } {
    const known = this.live(endpoint);
    if (known === undefined) return { status: STATUS_INVALID_HANDLE };
    if (known.role !== 'server') return { status: STATUS_INVALID_DEVICE_REQUEST };
    return known.channel ?? { status: STATUS_INVALID_DEVICE_STATE };
  }

  /** Blocks while the server has the GPADL mapped (DELETE rules); misuse per choices G1 and G3. */
  deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): OperationStart {
    const operation = operationId(this.nextOperation++);
    this.log.record({ kind: 'call', fn: 'VmbChannelDeleteGpadl', args: { endpoint, gpadl } });
    this.returning = operation;
    this.deleteGpadlCore(endpoint, gpadl, operation);
    this.returning = null;
    // A delete that blocks has not returned: its `completed` event, later, is its return.
    const state = this.operationState(operation) as OperationState;
    if (state === 'completed') this.log.record({ kind: 'return', fn: 'VmbChannelDeleteGpadl' });
    return { operation, state };
  }

  private deleteGpadlCore(endpoint: EndpointHandle, gpadl: GpadlHandle, operation: OperationId): void {
    const known = this.liveOrViolation('VmbChannelDeleteGpadl', endpoint);
    if (known === undefined) return;
    if (known.role !== 'client') return this.violation('ClientFunctionOnServer', 'VmbChannelDeleteGpadl', { endpoint, gpadl });
    const record = this.guest.gpadls.get(gpadl);
    if (record === undefined || record.owner !== known.handle || record.state.kind === 'Creating') {
      return this.violation('DeleteOfUnknownGpadl', 'VmbChannelDeleteGpadl', { endpoint, gpadl });
    }
    record.waiters.push(operation);
    this.pendingOperations.add(operation);
    this.guest.teardownGpadl(record);
  }

  // ---- Server-only functions ----------------------------------------------------------------

  /** MAP rules; failure codes and their order are choice G4. */
  mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    return this.traced('VmbChannelMapGpadl', { endpoint, flags, gpadl }, () => {
      if (hasUndefinedBits(flags)) return { status: STATUS_INVALID_PARAMETER };
      const known = this.live(endpoint);
      if (known === undefined) return { status: STATUS_INVALID_HANDLE };
      if (known.role !== 'server') return { status: STATUS_INVALID_DEVICE_REQUEST };
      const channel = known.channel === null ? undefined : this.host.channel(known.channel);
      if (known.state !== 'Opened' || channel === undefined) return { status: STATUS_INVALID_DEVICE_STATE };
      const entry = channel.gpadls.get(gpadl);
      if (entry === undefined || entry.state.kind !== 'Accepted' || channel.ring === entry) return { status: STATUS_INVALID_PARAMETER };
      if (entry.mapped) return { status: STATUS_DEVICE_BUSY };
      const writeAccess = !isReadOnly(flags);
      if (writeAccess && entry.readOnly) return { status: STATUS_ACCESS_DENIED };
      entry.mapped = true;
      // One MDL per GPA range (choice G11); physical pages only until mapMdlToSystemVa. A GPA range
      // is a span already, and an accepted GPADL's ranges never change: shared, not copied, so a map
      // reaches no more of the GPADL than its record (flat as live GPADLs grow, bench/mapUnmapFlat).
      const chain: readonly PageSpan[] = entry.ranges;
      const mdl = mdlHandle(this.nextMdl++);
      const mapping: Mapping = { gpadl: entry, writeAccess, mdl, released: false };
      this.mdls.set(mdl, { chain, buffers: [], mapping, systemVa: false });
      known.mappings.set(gpadl, mapping);
      if (writeAccess) for (const log of [this.migration?.writable, this.writeLog]) if (log != null) for (const range of entry.ranges) for (const page of range.pfns) log.add(page);
      return { status: STATUS_SUCCESS, mdl };
    });
  }

  /** UNMAP rules; misuse per choices G1 and G5. */
  unmapGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): void {
    this.tracedVoid('VmbChannelUnmapGpadl', { endpoint, gpadl }, () => {
      const known = this.liveOrViolation('VmbChannelUnmapGpadl', endpoint);
      if (known === undefined) return;
      if (known.role !== 'server') return this.violation('ServerOnlyFunctionOnClient', 'VmbChannelUnmapGpadl', { endpoint, gpadl });
      const mapping = known.mappings.get(gpadl);
      if (mapping !== undefined) return this.releaseMapping(known, mapping);
      const channel = known.channel === null ? undefined : this.host.channel(known.channel);
      const live = channel?.gpadls.get(gpadl);
      // Live: the host accepted it (a GPADL in progress, or whose acknowledgement is held back, is not yet).
      const accepted = live !== undefined && live.state.kind !== 'InProgress' && live.state.kind !== 'Deferred';
      const kind: ViolationKind = accepted && channel?.ring !== live ? 'UnmapWithoutMap' : 'UnmapOfUnknownGpadl';
      this.violation(kind, 'VmbChannelUnmapGpadl', { endpoint, gpadl });
    });
  }

  private releaseMapping(server: ServerEndpoint, mapping: Mapping): void {
    mapping.released = true;
    // The MDL dies with the mapping; a later use is recognised by its handle (see `deadMdl`).
    this.mdls.delete(mapping.mdl);
    server.mappings.delete(mapping.gpadl.id);
    this.host.unmapped(mapping.gpadl);
  }

  mapMdlToSystemVa(mdl: MdlHandle): NtStatus {
    const known = this.mdls.get(mdl);
    if (known === undefined) return this.deadMdl('mapMdlToSystemVa', mdl);
    known.systemVa = true;
    return STATUS_SUCCESS;
  }

  readMdl(mdl: MdlHandle, offset: number, length: number): ReadResult {
    const access = this.accessMdl('readMdl', mdl, offset, length);
    if (access.status !== STATUS_SUCCESS) return { status: access.status };
    const data = new Uint8Array(length);
    locateInChain(access.chain!, offset, length, (span, at, n, done) => this.memory.read(span, at, n, data, done));
    return { status: STATUS_SUCCESS, data };
  }

  /** A write through a read-only mapping is not prevented (MAP rules): the flag only helps migration. */
  writeMdl(mdl: MdlHandle, offset: number, data: Uint8Array): NtStatus {
    const access = this.accessMdl('writeMdl', mdl, offset, data.length);
    if (access.status !== STATUS_SUCCESS) return access.status;
    // Through a server mapping it is the host's write, which the guest's dirty log never sees; through
    // an MDL the client built over its own buffers it is the guest's.
    const writer = this.mdls.get(mdl)!.mapping === null ? 'guest' : 'host';
    locateInChain(access.chain!, offset, data.length, (span, at, n, done) => this.memory.write(span, at, data.subarray(done, done + n), writer));
    return STATUS_SUCCESS;
  }

  private accessMdl(fn: string, mdl: MdlHandle, offset: number, length: number): WithStatus<{ chain: readonly PageSpan[] }> {
    const known = this.mdls.get(mdl);
    if (known === undefined) return { status: this.deadMdl(fn, mdl) };
    if (!fits(offset, length, chainByteCount(known.chain))) return { status: STATUS_INVALID_PARAMETER };
    if (!known.systemVa) {
      this.violation('MdlAccessWithoutSystemVa', fn, { mdl });
      return { status: STATUS_INVALID_DEVICE_STATE };
    }
    return { status: STATUS_SUCCESS, chain: known.chain };
  }

  /**
   * An MDL handle with no record: MDLs the harness builds live as long as the connection, so a
   * handle this connection gave out and no longer knows is the MDL of a mapping since unmapped
   * (choice G21); anything else was never an MDL.
   */
  private deadMdl(fn: string, mdl: MdlHandle): NtStatus {
    if (mdl < this.firstMdl || mdl >= this.nextMdl) return STATUS_INVALID_PARAMETER;
    this.violation('MdlAccessAfterUnmap', fn, { mdl });
    return STATUS_INVALID_DEVICE_STATE;
  }

  // ---- Observation --------------------------------------------------------------------------

  operationState(operation: OperationId): OperationState | 'unknown' {
    if (this.pendingOperations.has(operation)) return 'pending';
    return operation >= 1 && operation < this.nextOperation ? 'completed' : 'unknown';
  }

  violations(): readonly ContractViolation[] {
    return [...this.recorded];
  }

  trace(): readonly TraceEvent[] {
    return [...this.log.events];
  }

  close(): void {}

  // ---- Internals ----------------------------------------------------------------------------

  protected live(endpoint: EndpointHandle): Endpoint | undefined {
    const known = this.endpoints.get(endpoint);
    return known === undefined || known.freed ? undefined : known;
  }

  private liveOrViolation(fn: string, endpoint: EndpointHandle): Endpoint | undefined {
    const known = this.live(endpoint);
    if (known === undefined) this.violation('InvalidEndpointHandle', fn, { endpoint });
    return known;
  }

  /** The client's own GPADLs that are still live (not the ring-buffer GPADL, not already being deleted). */
  private gpadlsOf(client: ClientEndpoint): GuestGpadl[] {
    return [...this.guest.gpadls.values()].filter((g) => g.owner === client.handle && g.state.kind === 'Created');
  }

  /** The guest saw RESCIND_CHANNELOFFER: EvtChannelClosed, after which a guest endpoint is always Disabled. */
  private onRescind(channel: ChannelId): void {
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.role === 'client' && endpoint.server.role === 'remote' && endpoint.server.channel === channel) endpoint.server.channel = null;
    }
    const users = [...this.endpoints.values()].filter((e): e is ClientEndpoint => e.role === 'client' && !e.freed && e.opened.has(channel));
    // Nothing holds up the release of a channel no driver opened (OpenVMM's client `try_release`).
    if (users.length === 0) this.guest.releaseChannel(channel);
    for (const client of users) {
      if (client.channel !== channel) continue;
      if (client.ring !== null) this.guest.teardownGpadl(client.ring);
      client.ring = null;
      client.channel = null;
      client.state = 'Disabled';
    }
  }

  private serverFor(channel: ChannelId, update: (server: ServerEndpoint) => void): void {
    for (const endpoint of this.endpoints.values()) if (endpoint.role === 'server' && endpoint.channel === channel) update(endpoint);
  }

  protected completeAll(operations: readonly OperationId[]): void {
    for (const operation of operations) {
      this.pendingOperations.delete(operation);
      // A delete that completes before it returns says so by returning: only a later return is a `completed` event.
      if (operation === this.returning) continue;
      this.log.record({ kind: 'completed', fn: 'VmbChannelDeleteGpadl', operation });
      this.half?.completed(operation, {});
    }
  }

  private violation(kind: ViolationKind, fn: string, about: Omit<ContractViolation, 'kind' | 'fn' | 'message'>): void {
    this.recorded.push({ kind, fn, ...about, message: VIOLATION_KINDS[kind] });
  }

  protected traced<T extends { status: NtStatus }>(fn: string, args: Record<string, unknown>, body: () => T): T {
    this.log.record({ kind: 'call', fn, args });
    const result = body();
    // A call that pends has not returned: its `completed` event, later, is its return.
    if (result.status !== STATUS_PENDING) this.log.record({ kind: 'return', fn, status: result.status });
    return result;
  }

  private tracedStatus(fn: string, args: Record<string, unknown>, body: () => NtStatus): NtStatus {
    return this.traced(fn, args, () => ({ status: body() })).status;
  }

  private tracedVoid(fn: string, args: Record<string, unknown>, body: () => void): void {
    this.log.record({ kind: 'call', fn, args });
    body();
    this.log.record({ kind: 'return', fn });
  }
}

function isWhole(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function fits(offset: number, length: number, size: number): boolean {
  return isWhole(offset) && isWhole(length) && offset + length <= size;
}

/** Each extent lies within one page. */
function validExtents(extents: readonly PageExtent[]): boolean {
  return extents.every((e) => isWhole(e.offset) && isWhole(e.length) && e.offset + e.length <= PAGE_SIZE);
}

/**
 * A span's page list as the contract shows it, made once per span: a span's pages never change, and
 * the harness asks for a buffer's description after every call that may lock it (frozen, since every
 * caller shares it).
 */
const PAGE_LISTS = new WeakMap<PageSpan, readonly Pfn[]>();

function describeSpan(span: PageSpan): { byteOffset: number; byteCount: number; pfns: readonly Pfn[] } {
  let pfns = PAGE_LISTS.get(span);
  if (pfns === undefined) PAGE_LISTS.set(span, (pfns = Object.freeze(Array.from(span.pfns) as Pfn[])));
  return { byteOffset: span.byteOffset, byteCount: span.byteCount, pfns };
}

/** What a create that is no longer waiting returns (choice G29 for the failures). */
function createResult(gpadl: GuestGpadl): CreateGpadlResult {
  switch (gpadl.state.kind) {
    case 'Created':
      return { status: STATUS_SUCCESS, gpadl: gpadl.handle };
    case 'Rescinded':
      return { status: STATUS_DEVICE_REMOVED };
    default:
      return { status: STATUS_UNSUCCESSFUL };
  }
}
