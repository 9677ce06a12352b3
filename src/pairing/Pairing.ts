/**
 * One guest half and one host half made into a whole VMBus, with the harness carrying the wire
 * (docs/halves.md). The suite sees an ordinary {@link VmbusImplementation}; underneath, every channel
 * message a half sends is taken from its events, traced as the bytes it was, and delivered to the
 * other half, one at a time in the order sent, until the wire is quiet. So the wire rules judge the
 * bytes that crossed, never a trace a half reports about itself.
 *
 * The pairing keeps what belongs to neither half: its own endpoint and MDL handles (each half picks
 * its own, and they may collide), which client endpoint drives which server endpoint's device, the
 * calls that blocked, the trace, and the misuse that crosses halves (a client function on a server
 * endpoint and the reverse, choice G1), which a split stack cannot see.
 */
import type { CompletedResult, GuestHalf, HalfName, HostHalf } from '../contract/halves.js';
import {
  HOST_DIRECTIVES,
  type AllocateBufferRequest,
  type Capabilities,
  type CreateGpadlResult,
  type EndpointInfo,
  type HostDirective,
  type ImplementationInfo,
  type MapGpadlResult,
  type MdlDescription,
  type MdlPart,
  type MigrationReport,
  type OperationStart,
  type OperationState,
  type ReadResult,
  type VmbusImplementation,
  type WithStatus,
} from '../contract/Implementation.js';
import { hasUndefinedBits, isReadOnly, type GpadlFlags } from '../contract/flags.js';
import { endpointHandle, mdlHandle, type BufferHandle, type ChannelId, type EndpointHandle, type GpadlHandle, type MdlHandle, type OperationId } from '../contract/handles.js';
import {
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_INVALID_PARAMETER_1,
  STATUS_PENDING,
  STATUS_SUCCESS,
  type NtStatus,
} from '../contract/NtStatus.js';
import type { TraceEvent } from '../contract/trace.js';
import { VIOLATION_KINDS, type ContractViolation, type ViolationKind } from '../contract/violations.js';
import { decodeMessage } from '../protocol/codec.js';
import { MESSAGE_CATALOGUE } from '../protocol/messages.js';

/** More messages than this for one call means the halves keep each other busy for ever. */
export const MAX_MESSAGES_PER_CALL = 10_000;

/** The halves did not let the wire go quiet, or a call that must return stayed blocked: an error, never a failure. */
export class HalvesDidNotSettle extends Error {
  override readonly name = 'HalvesDidNotSettle';
}

interface PairedEndpoint {
  readonly half: HalfName;
  /** The half's own handle. */
  readonly inner: EndpointHandle;
  /** A client's server endpoint, or a server's client endpoint (pairing handles). */
  peer: EndpointHandle | null;
  /** Cleaned up: calls still go to the half, which answers for a freed endpoint (choice G7). */
  freed: boolean;
}

/** A call that blocked in the guest: the contract function, and its result once it returned. */
interface Blocked {
  readonly fn: string;
  /** Returned to the suite as pending (STATUS_PENDING, or a pending operation): its return is a `completed` trace event. */
  pendingReturned: boolean;
  result: CompletedResult | undefined;
}

export function pairedInfo(guest: ImplementationInfo, host: ImplementationInfo): ImplementationInfo {
  const g = guest.capabilities;
  const h = host.capabilities;
  const capabilities: Capabilities = {
    // The pairing records the trace itself, from what it carried.
    trace: true,
    violations: g.violations && h.violations,
    mdl: g.mdl,
    lifecycle: g.lifecycle && h.lifecycle,
    wireHost: h.wireHost === true,
    migration: g.migration === true && h.migration === true,
    hostControl: h.hostControl === true,
  };
  return {
    name: `${guest.name} (guest) × ${host.name} (host)`,
    version: guest.version === host.version ? guest.version : `${guest.version} × ${host.version}`,
    language: guest.language === host.language ? guest.language : `${guest.language} × ${host.language}`,
    capabilities,
  };
}

export class Pairing implements VmbusImplementation {
  readonly info: ImplementationInfo;
  private readonly events: TraceEvent[] = [];
  private readonly endpoints = new Map<EndpointHandle, PairedEndpoint>();
  private nextEndpoint = 0x100;
  private readonly mdls = new Map<MdlHandle, { readonly half: HalfName; readonly inner: MdlHandle }>();
  private nextMdl = 0x2000;
  private readonly blocked = new Map<OperationId, Blocked>();
  private readonly recorded: ContractViolation[] = [];
  /** While a create with the read-only flag runs, the GPADL_HEADER it sends is read-only (choice G17's sideband). */
  private readOnlyCreate = false;

  constructor(
    private readonly guest: GuestHalf,
    private readonly host: HostHalf,
  ) {
    this.info = pairedInfo(guest.info, host.info);
  }

  // ---- The wire ------------------------------------------------------------------------------

  /** Takes what the halves did and carries every message across, until the wire is quiet. */
  private async settle(): Promise<void> {
    const queue: Array<{ readonly to: HalfName; readonly bytes: Uint8Array }> = [];
    const drain = (from: HalfName): void => {
      for (const event of (from === 'guest' ? this.guest : this.host).takeEvents()) {
        if ('send' in event) {
          // The trace is the guest's view of the wire: what it sent when it sent it, and what it
          // received when it received it, so a guest rule sees what the guest knew at each step
          // (a RELID_RELEASED sent before an answer already on its way is still too early).
          if (from === 'guest') this.traceMessage(from, event.send);
          queue.push({ to: from === 'guest' ? 'host' : 'guest', bytes: event.send });
        } else {
          this.onCompleted(event.completed, event.result);
        }
      }
    };
    drain('guest');
    drain('host');
    for (let carried = 0; queue.length > 0; ) {
      if (carried === MAX_MESSAGES_PER_CALL) throw new HalvesDidNotSettle(`the halves sent more than ${MAX_MESSAGES_PER_CALL} messages for one call without the wire going quiet`);
      const { to } = queue[0]!;
      if (to === 'guest') {
        const { bytes } = queue.shift()!;
        this.traceMessage('host', bytes);
        await this.guest.deliver(bytes);
        carried++;
      } else {
        // The messages waiting for the host at the head of the queue (a GPADL_HEADER and its bodies)
        // are delivered together: each is made in order, and what the host sends back goes to the end
        // of the queue in the same order as one by one, since nothing else is waiting ahead of them.
        // (One by one to the guest: the trace holds each message to it when it arrives, and what the
        // guest sent in answer after it.) Over stdio in protocol version 2 they share one write.
        let run = 1;
        while (run < queue.length && queue[run]!.to === 'host' && carried + run < MAX_MESSAGES_PER_CALL) run++;
        const messages = queue.splice(0, run);
        await Promise.all(messages.map(({ bytes }) => this.host.deliver(bytes, this.readOnlyCreate && bytes[0] === MESSAGE_CATALOGUE.GPADL_HEADER.msgtype ? { gpadlReadOnly: true } : undefined)));
        carried += run;
      }
      drain(to);
    }
  }

  private traceMessage(from: HalfName, bytes: Uint8Array): void {
    // The trace holds the bytes as they crossed; a message that does not decode is still carried
    // (the receiver must drop it, choice G23) but has no value to trace.
    const decoded = decodeMessage(bytes, { checkRangeBufLen: false });
    if (decoded.ok) this.events.push({ kind: 'message', direction: from === 'guest' ? 'guest-to-host' : 'host-to-guest', message: decoded.message, bytes });
  }

  private onCompleted(operation: OperationId, result: CompletedResult): void {
    const blocked = this.blocked.get(operation);
    if (blocked === undefined || blocked.result !== undefined) throw new HalvesDidNotSettle(`the guest completed operation ${operation}, which is not a call of its that blocked`);
    blocked.result = result;
    if (blocked.pendingReturned) this.events.push({ kind: 'completed', fn: blocked.fn, operation });
  }

  /**
   * A guest call that may block (it answered `operation`): settle the wire; if it returned meanwhile,
   * `whenReturned` makes its result the call's. Otherwise it stays blocked and the suite gets `now`.
   */
  private async blocking<T>(fn: string, operation: OperationId | undefined, now: T, whenReturned: (result: CompletedResult) => T): Promise<{ value: T; returned: boolean }> {
    if (operation !== undefined) this.blocked.set(operation, { fn, pendingReturned: false, result: undefined });
    await this.settle();
    if (operation === undefined) return { value: now, returned: true };
    const blocked = this.blocked.get(operation)!;
    if (blocked.result !== undefined) return { value: whenReturned(blocked.result), returned: true };
    blocked.pendingReturned = true;
    return { value: now, returned: false };
  }

  // ---- Tracing calls, as the reference model does ----------------------------------------------

  private async traced<T extends { status: NtStatus }>(fn: string, args: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
    this.events.push({ kind: 'call', fn, args });
    const result = await body();
    if (result.status !== STATUS_PENDING) this.events.push({ kind: 'return', fn, status: result.status });
    return result;
  }

  private async tracedVoid(fn: string, args: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    this.events.push({ kind: 'call', fn, args });
    await body();
    this.events.push({ kind: 'return', fn });
  }

  private violation(kind: ViolationKind, fn: string, about: Omit<ContractViolation, 'kind' | 'fn' | 'message'>): void {
    this.recorded.push({ kind, fn, ...about, message: VIOLATION_KINDS[kind] });
  }

  // ---- Handles -------------------------------------------------------------------------------

  private addEndpoint(half: HalfName, inner: EndpointHandle, peer: EndpointHandle | null): EndpointHandle {
    const handle = endpointHandle(this.nextEndpoint++);
    this.endpoints.set(handle, { half, inner, peer, freed: false });
    return handle;
  }

  private addMdl(half: HalfName, inner: MdlHandle): MdlHandle {
    const handle = mdlHandle(this.nextMdl++);
    this.mdls.set(handle, { half, inner });
    return handle;
  }

  /** An endpoint of `half` the call may go to, or why not: unknown, or of the other role (choice G1). */
  private endpointFor(endpoint: EndpointHandle, half: HalfName): PairedEndpoint | 'unknown' | 'other-role' {
    const known = this.endpoints.get(endpoint);
    if (known === undefined) return 'unknown';
    if (known.half !== half) return known.freed ? 'unknown' : 'other-role';
    return known;
  }

  /** The server's offered channel, if it has one now. */
  private async offeredChannel(server: PairedEndpoint): Promise<ChannelId | null> {
    const info = await this.host.endpointInfo(server.inner);
    return info.info !== undefined && info.info.state !== 'Disabled' ? info.info.channelId : null;
  }

  /** Tells a client endpoint which offered channel its device is, once both exist. */
  private async bind(client: PairedEndpoint, server: PairedEndpoint): Promise<void> {
    const channel = await this.offeredChannel(server);
    if (channel === null || client.freed) return;
    const status = await this.guest.bindChannel(client.inner, channel);
    if (status !== STATUS_SUCCESS) throw new HalvesDidNotSettle(`the guest refused to bind its client endpoint to channel ${channel}, which the host offered (status 0x${status.toString(16)})`);
    await this.settle();
  }

  // ---- Guest memory --------------------------------------------------------------------------

  allocateBuffer(request: AllocateBufferRequest): Promise<WithStatus<{ buffer: BufferHandle }>> {
    return this.guest.allocateBuffer(request);
  }

  describeBuffer(buffer: BufferHandle) {
    return this.guest.describeBuffer(buffer);
  }

  writeBuffer(buffer: BufferHandle, offset: number, data: Uint8Array): Promise<NtStatus> {
    return this.guest.writeBuffer(buffer, offset, data);
  }

  readBuffer(buffer: BufferHandle, offset: number, length: number): Promise<ReadResult> {
    return this.guest.readBuffer(buffer, offset, length);
  }

  async buildMdl(parts: readonly MdlPart[]): Promise<WithStatus<{ mdl: MdlHandle }>> {
    const result = await this.guest.buildMdl(parts);
    return result.mdl === undefined ? result : { ...result, mdl: this.addMdl('guest', result.mdl) };
  }

  async describeMdl(mdl: MdlHandle): Promise<WithStatus<{ chain: readonly MdlDescription[] }>> {
    const known = this.mdls.get(mdl);
    if (known === undefined) return { status: STATUS_INVALID_PARAMETER };
    return known.half === 'guest' ? this.guest.describeMdl(known.inner) : this.host.describeMdl(known.inner);
  }

  // ---- Channel life cycle --------------------------------------------------------------------

  allocateChannel(request: { readonly role: 'server' } | { readonly role: 'client'; readonly server: EndpointHandle }): Promise<WithStatus<{ endpoint: EndpointHandle }>> {
    return this.traced('VmbChannelAllocate', { ...request }, async () => {
      if (request.role === 'server') {
        const result = await this.host.allocateChannel();
        return result.endpoint === undefined ? result : { ...result, endpoint: this.addEndpoint('host', result.endpoint, null) };
      }
      const server = this.endpoints.get(request.server);
      if (server === undefined || server.freed) return { status: STATUS_INVALID_HANDLE };
      if (server.half !== 'host') return { status: STATUS_INVALID_PARAMETER };
      if (server.peer !== null) return { status: STATUS_INVALID_DEVICE_STATE };
      const result = await this.guest.allocateChannel();
      if (result.endpoint === undefined) return result;
      const handle = this.addEndpoint('guest', result.endpoint, request.server);
      server.peer = handle;
      await this.bind(this.endpoints.get(handle)!, server);
      return { ...result, endpoint: handle };
    });
  }

  setRingBufferPageCount(endpoint: EndpointHandle, incomingPages: number, outgoingPages: number): Promise<NtStatus> {
    const args = { endpoint, incomingPages, outgoingPages };
    return this.traced('VmbClientChannelInitSetRingBufferPageCount', args, async () => {
      const client = this.endpointFor(endpoint, 'guest');
      // Choice G6: a server endpoint, or none, is the wrong state for the client's setter.
      if (typeof client === 'string') return { status: STATUS_INVALID_PARAMETER_1 };
      return { status: await this.guest.setRingBufferPageCount(client.inner, incomingPages, outgoingPages) };
    }).then((r) => r.status);
  }

  async enableChannel(endpoint: EndpointHandle): Promise<NtStatus> {
    const result = await this.traced('VmbChannelEnable', { endpoint }, async () => {
      const known = this.endpoints.get(endpoint);
      if (known === undefined) return { status: STATUS_INVALID_HANDLE };
      if (known.half === 'host') {
        const status = await this.host.enableChannel(known.inner);
        await this.settle();
        const client = known.peer === null ? undefined : this.endpoints.get(known.peer);
        if (status === STATUS_SUCCESS && client !== undefined) await this.bind(client, known);
        return { status };
      }
      const started = await this.guest.enableChannel(known.inner);
      // An open still waiting when the wire is quiet has not returned: STATUS_PENDING.
      const { value } = await this.blocking('VmbChannelEnable', started.operation, { status: started.status }, (r) => ({ status: r.status ?? STATUS_SUCCESS }));
      return value;
    });
    return result.status;
  }

  disableChannel(endpoint: EndpointHandle): Promise<void> {
    return this.voidCall('VmbChannelDisable', endpoint, (half, inner) => (half === 'guest' ? this.guest.disableChannel(inner) : this.host.disableChannel(inner)));
  }

  cleanupChannel(endpoint: EndpointHandle): Promise<void> {
    return this.voidCall('VmbChannelCleanup', endpoint, async (half, inner) => {
      const result = half === 'guest' ? await this.guest.cleanupChannel(inner) : await this.host.cleanupChannel(inner);
      return result;
    }).then(async () => {
      const known = this.endpoints.get(endpoint);
      if (known === undefined || known.freed) return;
      const info = await (known.half === 'guest' ? this.guest : this.host).endpointInfo(known.inner);
      if (info.status !== STATUS_INVALID_HANDLE) return;
      // Freed: a client no longer drives its server's device, so the server may get another client.
      known.freed = true;
      const peer = known.peer === null ? undefined : this.endpoints.get(known.peer);
      if (known.half === 'guest' && peer !== undefined) peer.peer = null;
    });
  }

  /** Disable and cleanup: void, to either half; one that stays blocked with the wire quiet is an error. */
  private voidCall(fn: string, endpoint: EndpointHandle, call: (half: HalfName, inner: EndpointHandle) => Promise<{ operation?: OperationId } | void>): Promise<void> {
    return this.tracedVoid(fn, { endpoint }, async () => {
      const known = this.endpoints.get(endpoint);
      if (known === undefined) return this.violation('InvalidEndpointHandle', fn, { endpoint });
      const started = await call(known.half, known.inner);
      const { returned } = await this.blocking(fn, started?.operation, undefined, () => undefined);
      if (!returned) throw new HalvesDidNotSettle(`${fn} on the ${known.half}'s endpoint is still blocked with the wire quiet: nothing the other half can do will let it return`);
    });
  }

  async endpointInfo(endpoint: EndpointHandle): Promise<WithStatus<{ info: EndpointInfo }>> {
    const known = this.endpoints.get(endpoint);
    if (known === undefined) return { status: STATUS_INVALID_HANDLE };
    return (known.half === 'guest' ? this.guest : this.host).endpointInfo(known.inner);
  }

  // ---- Client functions ----------------------------------------------------------------------

  createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number): Promise<CreateGpadlResult> {
    return this.create('VmbChannelCreateGpadlFromBuffer', { endpoint, flags, buffer, byteCount }, (inner) => this.guest.createGpadlFromBuffer(inner, flags, buffer, byteCount));
  }

  createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): Promise<CreateGpadlResult> {
    // Only an MDL the guest built describes guest memory to it; any other handle is none of its MDLs.
    const known = this.mdls.get(mdl);
    const inner = known?.half === 'guest' ? known.inner : mdlHandle(0);
    return this.create('VmbChannelCreateGpadlFromMdl', { endpoint, flags, mdl, startOffset, length }, (client) => this.guest.createGpadlFromMdl(client, flags, inner, startOffset, length));
  }

  private create(fn: string, args: { readonly endpoint: EndpointHandle; readonly flags: GpadlFlags; readonly [more: string]: unknown }, call: (inner: EndpointHandle) => Promise<CreateGpadlResult>): Promise<CreateGpadlResult> {
    return this.traced(fn, args, async () => {
      const client = this.endpointFor(args.endpoint, 'guest');
      // Choice G1 (after G2's flag check), for a call a split stack's guest never sees.
      if (client === 'unknown') return { status: hasUndefinedBits(args.flags) ? STATUS_INVALID_PARAMETER : STATUS_INVALID_HANDLE };
      if (client === 'other-role') return { status: hasUndefinedBits(args.flags) ? STATUS_INVALID_PARAMETER : STATUS_INVALID_DEVICE_REQUEST };
      this.readOnlyCreate = isReadOnly(args.flags) && !hasUndefinedBits(args.flags);
      try {
        const started = await call(client.inner);
        const pending = started.status === STATUS_PENDING && started.operation !== undefined;
        const { value } = await this.blocking<CreateGpadlResult>(fn, pending ? started.operation : undefined, started, (r) => ({ status: r.status ?? STATUS_SUCCESS, ...(r.gpadl !== undefined ? { gpadl: r.gpadl } : {}) }));
        return value;
      } finally {
        this.readOnlyCreate = false;
      }
    });
  }

  async deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): Promise<OperationStart> {
    const fn = 'VmbChannelDeleteGpadl';
    this.events.push({ kind: 'call', fn, args: { endpoint, gpadl } });
    const client = this.endpointFor(endpoint, 'guest');
    if (typeof client === 'string') {
      // Choice G1 and G7: recorded, nothing changes, and the call returns at once.
      this.violation(client === 'unknown' ? 'InvalidEndpointHandle' : 'ClientFunctionOnServer', fn, client === 'unknown' ? { endpoint } : { endpoint, gpadl });
      const operation = this.harnessOperation();
      this.events.push({ kind: 'return', fn });
      return { operation, state: 'completed' };
    }
    const started = await this.guest.deleteGpadl(client.inner, gpadl);
    if (started.state === 'completed') this.blocked.set(started.operation, { fn, pendingReturned: false, result: {} });
    const { returned } = await this.blocking(fn, started.state === 'pending' ? started.operation : undefined, undefined, () => undefined);
    if (returned) this.events.push({ kind: 'return', fn });
    return { operation: started.operation, state: returned ? 'completed' : 'pending' };
  }

  /** An operation the pairing completed itself; numbered from the top, apart from the guest's. */
  private harnessOperation(): OperationId {
    const operation = (0xffffffff - this.harnessOperations++) as OperationId;
    this.blocked.set(operation, { fn: 'VmbChannelDeleteGpadl', pendingReturned: false, result: {} });
    return operation;
  }
  private harnessOperations = 0;

  // ---- Server functions ----------------------------------------------------------------------

  mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): Promise<MapGpadlResult> {
    return this.traced('VmbChannelMapGpadl', { endpoint, flags, gpadl }, async () => {
      if (hasUndefinedBits(flags)) return { status: STATUS_INVALID_PARAMETER };
      const server = this.endpointFor(endpoint, 'host');
      if (server === 'unknown') return { status: STATUS_INVALID_HANDLE };
      if (server === 'other-role') return { status: STATUS_INVALID_DEVICE_REQUEST };
      const result = await this.host.mapGpadl(server.inner, flags, gpadl);
      return result.mdl === undefined ? result : { ...result, mdl: this.addMdl('host', result.mdl) };
    });
  }

  unmapGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): Promise<void> {
    const fn = 'VmbChannelUnmapGpadl';
    return this.tracedVoid(fn, { endpoint, gpadl }, async () => {
      const server = this.endpointFor(endpoint, 'host');
      if (server === 'unknown') return this.violation('InvalidEndpointHandle', fn, { endpoint });
      if (server === 'other-role') return this.violation('ServerOnlyFunctionOnClient', fn, { endpoint, gpadl });
      await this.host.unmapGpadl(server.inner, gpadl);
      // The unmap may let a held-back GPADL_TORNDOWN go, and with it a waiting delete.
      await this.settle();
    });
  }

  async mapMdlToSystemVa(mdl: MdlHandle): Promise<NtStatus> {
    const known = this.mdls.get(mdl);
    if (known === undefined) return STATUS_INVALID_PARAMETER;
    return known.half === 'guest' ? this.guest.mapMdlToSystemVa(known.inner) : this.host.mapMdlToSystemVa(known.inner);
  }

  /** Through an MDL the guest built, the guest reads its own memory; through a mapping's, the host says where and the harness moves the bytes. */
  async readMdl(mdl: MdlHandle, offset: number, length: number): Promise<ReadResult> {
    const known = this.mdls.get(mdl);
    if (known === undefined) return { status: STATUS_INVALID_PARAMETER };
    if (known.half === 'guest') return this.guest.readMdl(known.inner, offset, length);
    const located = await this.host.accessMdl(known.inner, offset, length, false);
    if (located.extents === undefined) return { status: located.status };
    return this.guest.readPages(located.extents);
  }

  async writeMdl(mdl: MdlHandle, offset: number, data: Uint8Array): Promise<NtStatus> {
    const known = this.mdls.get(mdl);
    if (known === undefined) return STATUS_INVALID_PARAMETER;
    if (known.half === 'guest') return this.guest.writeMdl(known.inner, offset, data);
    const located = await this.host.accessMdl(known.inner, offset, data.length, true);
    if (located.extents === undefined) return located.status;
    return this.guest.writePages(located.extents, data);
  }

  // ---- Observation ---------------------------------------------------------------------------

  async operationState(operation: OperationId): Promise<OperationState | 'unknown'> {
    const blocked = this.blocked.get(operation);
    if (blocked === undefined) return 'unknown';
    return blocked.result === undefined ? 'pending' : 'completed';
  }

  async createOutcome(operation: OperationId): Promise<CreateGpadlResult> {
    const blocked = this.blocked.get(operation);
    if (blocked === undefined || !blocked.fn.startsWith('VmbChannelCreateGpadl')) return { status: STATUS_INVALID_PARAMETER };
    if (blocked.result === undefined) return { status: STATUS_PENDING };
    const { status = STATUS_SUCCESS, gpadl } = blocked.result;
    return gpadl === undefined ? { status } : { status, gpadl };
  }

  async violations(): Promise<readonly ContractViolation[]> {
    // Two looks, made together: over stdio in protocol version 2 they travel in one write, or in parallel to two processes.
    const [guest, host] = await Promise.all([this.guest.violations(), this.host.violations()]);
    return [...guest.map((v) => this.outerHandles('guest', v)), ...host.map((v) => this.outerHandles('host', v)), ...this.recorded];
  }

  /** A half's violation names its own endpoint and MDL handles; the suite knows the pairing's. */
  private outerHandles(half: HalfName, violation: ContractViolation): ContractViolation {
    const outer = <H extends number>(table: ReadonlyMap<H, { readonly half: HalfName; readonly inner: H }>, inner: H | undefined): H | undefined => {
      if (inner === undefined) return undefined;
      for (const [handle, known] of table) if (known.half === half && known.inner === inner) return handle;
      return inner;
    };
    const endpoint = outer(this.endpoints, violation.endpoint);
    const mdl = outer(this.mdls, violation.mdl);
    return { ...violation, ...(endpoint !== undefined ? { endpoint } : {}), ...(mdl !== undefined ? { mdl } : {}) };
  }

  async trace(): Promise<readonly TraceEvent[]> {
    return [...this.events];
  }

  // ---- The host's answers, steered by the suite (capability hostControl) ------------------------

  async hostDirect(server: EndpointHandle, directive: HostDirective): Promise<NtStatus> {
    // In the order the reference checks: a word that is no directive before the endpoint.
    if (!HOST_DIRECTIVES.includes(directive)) return STATUS_INVALID_PARAMETER;
    const known = this.endpointFor(server, 'host');
    if (typeof known === 'string') return known === 'unknown' ? STATUS_INVALID_HANDLE : STATUS_INVALID_DEVICE_REQUEST;
    return this.host.hostDirect!(known.inner, directive);
  }

  async hostAnswerDeferred(server: EndpointHandle): Promise<NtStatus> {
    const known = this.endpointFor(server, 'host');
    if (typeof known === 'string') return known === 'unknown' ? STATUS_INVALID_HANDLE : STATUS_INVALID_DEVICE_REQUEST;
    const status = await this.host.hostAnswerDeferred!(known.inner);
    await this.settle();
    return status;
  }

  // ---- A host on the wire (capability wireHost): the host half's own surface -------------------

  hostOffer() {
    return this.host.hostOffer!();
  }

  hostReceive(message: Uint8Array) {
    return this.host.hostReceive!(message);
  }

  hostHold(channel: ChannelId, gpadl: GpadlHandle) {
    return this.host.hostHold!(channel, gpadl);
  }

  hostRelease(channel: ChannelId, gpadl: GpadlHandle) {
    return this.host.hostRelease!(channel, gpadl);
  }

  hostRevoke(channel: ChannelId) {
    return this.host.hostRevoke!(channel);
  }

  // ---- Migration (capability migration): the guest's log and snapshot, the host's write mappings --

  async migrationBegin(): Promise<NtStatus> {
    const status = await this.guest.migrationBegin!();
    return status === STATUS_SUCCESS ? this.host.migrationBegin!() : status;
  }

  async migrationFinish(): Promise<WithStatus<{ report: MigrationReport }>> {
    const host = await this.host.migrationFinish!();
    if (host.serverWritable === undefined) return { status: host.status };
    return this.guest.migrationFinish!(host.serverWritable);
  }

  readSnapshot(buffer: BufferHandle, offset: number, length: number): Promise<ReadResult> {
    return this.guest.readSnapshot!(buffer, offset, length);
  }

  async close(): Promise<void> {
    await Promise.all([this.guest.close(), this.host.close()]);
  }
}
