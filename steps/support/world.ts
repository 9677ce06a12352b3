/**
 * The World of one scenario: the implementation under test and the names the scenario gives to
 * what it creates (channels, buffers, GPADLs, the MDLs that maps return, pending deletes).
 *
 * Steps stay short by delegating here. Every helper talks to the implementation only through the
 * contract in `src/contract`, never to the reference model. Status-returning calls made by When
 * steps are recorded per kind of call ({@link CallKind}); a failure status that no Then step looked
 * at makes the After hook fail the scenario (the unchecked-status guard, after cucumber-js's own
 * `verifiedLastRunError`).
 */
import assert from 'node:assert/strict';
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import {
  formatStatus,
  gpadlHandle,
  hex,
  ntSuccess,
  type BufferDescription,
  type BufferHandle,
  type ContractViolation,
  type EndpointHandle,
  type EndpointInfo,
  type GpadlFlags,
  type GpadlHandle,
  type HostDirective,
  type MdlDescription,
  type MdlHandle,
  type MdlPart,
  type NtStatus,
  type OperationId,
  type OperationState,
  type Role,
  type TraceEvent,
  type VmbusImplementation,
  NO_GPADL_FLAGS,
  STATUS_PENDING,
} from '../../src/contract/index.js';

/** The kinds of status-returning call a Then step can ask about ("Then the map fails"). */
export const CALL_KINDS = [
  'allocation',
  'enable',
  'ring buffer page count setting',
  'create',
  'map',
  'system address mapping',
  'read through the mapping',
  'write through the mapping',
  'endpoint query',
  'migration start',
  'migration finish',
  'snapshot read',
] as const;
export type CallKind = (typeof CALL_KINDS)[number];

export const DEFAULT_CHANNEL = 'main';

export interface WorldParameters {
  /** An implementation spec such as `inproc:reference`. */
  readonly implementation?: string;
  /** Where a `cmd:` implementation runs and a relative `module:` path starts (the user's directory). */
  readonly implementationCwd?: string;
  /** Per-call timeout for an implementation in another process, in milliseconds. */
  readonly timeoutMs?: number;
  /** The budget of an implementation process's handshake (`hello`), in milliseconds. */
  readonly helloTimeoutMs?: number;
  /** Check every protocol message against the schemas. */
  readonly validateProtocol?: boolean;
}

interface ChannelRecord {
  server?: EndpointHandle;
  client?: EndpointHandle;
  /** The ring-buffer GPADL the client opened the channel with, noted at open time. */
  ringGpadl?: GpadlHandle;
}

interface GpadlRecord {
  readonly handle: GpadlHandle;
  readonly channel: string;
  readonly buffer: string | undefined;
}

interface UncheckedFailure {
  readonly kind: CallKind;
  readonly status: NtStatus;
}

export class VmbusWorld extends World<WorldParameters> {
  private implementation: VmbusImplementation | undefined;
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly buffers = new Map<string, BufferHandle>();
  private readonly builtMdls = new Map<string, MdlHandle>();
  private readonly gpadls = new Map<string, GpadlRecord>();
  /** The MDL the last successful map of each GPADL returned, by GPADL name. */
  private readonly mappings = new Map<string, MdlHandle>();
  /** Every delete started, by GPADL name (or `handle 0x...` for a literal handle), oldest first. */
  private readonly deletes = new Map<string, OperationId[]>();
  /** Creates that returned STATUS_PENDING (the host held its answer back), by GPADL name. */
  private readonly pendingCreates = new Map<string, { readonly operation: OperationId; readonly channel: string; readonly buffer: string | undefined }>();
  private lastDelete: OperationId | undefined;
  private readonly statuses = new Map<CallKind, NtStatus>();
  private lastCreateHandle: GpadlHandle | undefined;
  private lastMapMdl: MdlHandle | undefined;
  private lastRead: Uint8Array | undefined;
  private unchecked: UncheckedFailure[] = [];

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
  }

  // ---------------------------------------------------------------- implementation

  get impl(): VmbusImplementation {
    if (this.implementation === undefined) throw new Error('no implementation was started for this scenario');
    return this.implementation;
  }

  attachImplementation(implementation: VmbusImplementation): void {
    this.implementation = implementation;
  }

  async closeImplementation(): Promise<void> {
    const implementation = this.implementation;
    this.implementation = undefined;
    if (implementation !== undefined) await implementation.close();
  }

  // ---------------------------------------------------------------- statuses

  /** Notes the status a When step got; a failure stays unchecked until a Then step asserts it. */
  record(kind: CallKind, status: NtStatus): NtStatus {
    this.statuses.set(kind, status);
    if (!ntSuccess(status)) this.unchecked.push({ kind, status });
    return status;
  }

  lastStatus(kind: CallKind): NtStatus {
    const status = this.statuses.get(kind);
    assert.ok(status !== undefined, `the scenario made no ${kind} call`);
    return status;
  }

  /** A Then step has looked at the failures of this kind of call. */
  verified(kind: CallKind): void {
    this.unchecked = this.unchecked.filter((failure) => failure.kind !== kind);
  }

  uncheckedFailures(): readonly UncheckedFailure[] {
    return this.unchecked;
  }

  expectSuccess(kind: CallKind): void {
    const status = this.lastStatus(kind);
    assert.ok(ntSuccess(status), `expected the ${kind} to succeed, got ${formatStatus(status)}`);
  }

  expectFailure(kind: CallKind, expected?: NtStatus): void {
    const status = this.lastStatus(kind);
    this.verified(kind);
    if (expected === undefined) {
      assert.ok(!ntSuccess(status), `expected the ${kind} to fail, got ${formatStatus(status)}`);
    } else {
      assert.equal(formatStatus(status), formatStatus(expected), `the ${kind} returned the wrong status`);
    }
  }

  // ---------------------------------------------------------------- channels

  private channelRecord(name: string): ChannelRecord {
    let record = this.channels.get(name);
    if (record === undefined) {
      record = {};
      this.channels.set(name, record);
    }
    return record;
  }

  endpoint(role: Role, channel = DEFAULT_CHANNEL): EndpointHandle {
    const endpoint = this.channels.get(channel)?.[role];
    assert.ok(endpoint !== undefined, `channel "${channel}" has no ${role} endpoint`);
    return endpoint;
  }

  /** VmbChannelAllocate; a client endpoint belongs to the device the channel's server offers. */
  async allocateEndpoint(role: Role, channel = DEFAULT_CHANNEL): Promise<NtStatus> {
    const request = role === 'server' ? ({ role } as const) : ({ role, server: this.endpoint('server', channel) } as const);
    const result = await this.impl.allocateChannel(request);
    if (ntSuccess(result.status) && result.endpoint !== undefined) this.channelRecord(channel)[role] = result.endpoint;
    return result.status;
  }

  async enable(role: Role, channel = DEFAULT_CHANNEL): Promise<NtStatus> {
    const status = await this.impl.enableChannel(this.endpoint(role, channel));
    if (role === 'client' && ntSuccess(status)) await this.noteRingGpadl(channel);
    return status;
  }

  /** Notes the client's ring-buffer GPADL once it has one (at enable, or when a held-back open goes on). */
  async noteRingGpadl(channel = DEFAULT_CHANNEL): Promise<void> {
    if (this.channels.get(channel)?.client === undefined) return;
    const ring = (await this.endpointInfo('client', channel)).ringGpadl;
    if (ring !== null) this.channelRecord(channel).ringGpadl = ring;
  }

  /** Set-up: the server endpoint is allocated and offered (enabled). */
  async offerChannel(channel = DEFAULT_CHANNEL): Promise<void> {
    this.expectOkStatus(await this.allocateEndpoint('server', channel), `allocate the server endpoint of "${channel}"`);
    this.expectOkStatus(await this.enable('server', channel), `offer channel "${channel}"`);
  }

  /** Set-up: offered by the server, then allocated and opened by the client. */
  async openChannel(channel = DEFAULT_CHANNEL): Promise<void> {
    await this.offerChannel(channel);
    this.expectOkStatus(await this.allocateEndpoint('client', channel), `allocate the client endpoint of "${channel}"`);
    this.expectOkStatus(await this.enable('client', channel), `open channel "${channel}"`);
  }

  /** For Given steps: set-up that must work, or the scenario cannot say anything. */
  expectOkStatus(status: NtStatus, what: string): void {
    assert.ok(ntSuccess(status), `could not ${what}: ${formatStatus(status)}`);
  }

  /** For Given steps that set up a refusal: the call must have failed. */
  expectRefused(status: NtStatus, what: string): void {
    assert.ok(!ntSuccess(status), `expected ${what} to be refused, got ${formatStatus(status)}`);
  }

  async endpointInfo(role: Role, channel = DEFAULT_CHANNEL): Promise<EndpointInfo> {
    const result = await this.impl.endpointInfo(this.endpoint(role, channel));
    assert.ok(ntSuccess(result.status) && result.info !== undefined, `no endpoint information: ${formatStatus(result.status)}`);
    return result.info;
  }

  async queryEndpoint(role: Role, channel = DEFAULT_CHANNEL): Promise<NtStatus> {
    return (await this.impl.endpointInfo(this.endpoint(role, channel))).status;
  }

  ringGpadl(channel = DEFAULT_CHANNEL): GpadlHandle {
    const ring = this.channels.get(channel)?.ringGpadl;
    assert.ok(ring !== undefined, `channel "${channel}" was not opened with a ring-buffer GPADL`);
    return ring;
  }

  // ---------------------------------------------------------------- guest memory

  async allocateBuffer(name: string, byteCount: number, byteOffset = 0): Promise<void> {
    const result = await this.impl.allocateBuffer({ byteCount, byteOffset });
    assert.ok(ntSuccess(result.status) && result.buffer !== undefined, `could not allocate buffer "${name}": ${formatStatus(result.status)}`);
    this.buffers.set(name, result.buffer);
  }

  buffer(name: string): BufferHandle {
    const buffer = this.buffers.get(name);
    assert.ok(buffer !== undefined, `no buffer "${name}" in this scenario`);
    return buffer;
  }

  async describeBuffer(name: string): Promise<BufferDescription> {
    const result = await this.impl.describeBuffer(this.buffer(name));
    assert.ok(ntSuccess(result.status) && result.description !== undefined, `cannot describe buffer "${name}": ${formatStatus(result.status)}`);
    return result.description;
  }

  async writeBuffer(name: string, offset: number, data: Uint8Array): Promise<void> {
    const status = await this.impl.writeBuffer(this.buffer(name), offset, data);
    assert.ok(ntSuccess(status), `the client could not write buffer "${name}": ${formatStatus(status)}`);
  }

  async readBuffer(name: string, offset: number, length: number): Promise<Uint8Array> {
    const result = await this.impl.readBuffer(this.buffer(name), offset, length);
    assert.ok(ntSuccess(result.status) && result.data !== undefined, `the client could not read buffer "${name}": ${formatStatus(result.status)}`);
    return result.data;
  }

  async buildMdl(name: string, parts: readonly MdlPart[]): Promise<void> {
    const result = await this.impl.buildMdl(parts);
    assert.ok(ntSuccess(result.status) && result.mdl !== undefined, `could not build MDL "${name}": ${formatStatus(result.status)}`);
    this.builtMdls.set(name, result.mdl);
  }

  builtMdl(name: string): MdlHandle {
    const mdl = this.builtMdls.get(name);
    assert.ok(mdl !== undefined, `no MDL "${name}" in this scenario`);
    return mdl;
  }

  // ---------------------------------------------------------------- GPADLs

  gpadl(name: string): GpadlRecord {
    const gpadl = this.gpadls.get(name);
    assert.ok(gpadl !== undefined, `no GPADL "${name}" was created in this scenario`);
    return gpadl;
  }

  async createGpadl(
    name: string,
    buffer: string,
    options: { flags?: GpadlFlags; byteCount?: number; role?: Role; channel?: string } = {},
  ): Promise<NtStatus> {
    const channel = options.channel ?? DEFAULT_CHANNEL;
    const byteCount = options.byteCount ?? (await this.describeBuffer(buffer)).byteCount;
    const endpoint = this.endpoint(options.role ?? 'client', channel);
    const result = await this.impl.createGpadlFromBuffer(endpoint, options.flags ?? NO_GPADL_FLAGS, this.buffer(buffer), byteCount);
    return this.noteCreate(name, channel, buffer, result);
  }

  async createGpadlFromMdl(name: string, mdl: string, flags: GpadlFlags, startOffset: number, length: number): Promise<NtStatus> {
    const result = await this.impl.createGpadlFromMdl(this.endpoint('client'), flags, this.builtMdl(mdl), startOffset, length);
    return this.noteCreate(name, DEFAULT_CHANNEL, undefined, result);
  }

  private noteCreate(name: string, channel: string, buffer: string | undefined, result: { status: NtStatus; gpadl?: GpadlHandle; operation?: OperationId }): NtStatus {
    this.lastCreateHandle = result.gpadl;
    if (result.status === STATUS_PENDING) {
      assert.ok(result.operation !== undefined, `the create of "${name}" returned STATUS_PENDING without an operation to follow`);
      this.pendingCreates.set(name, { operation: result.operation, channel, buffer });
      // Success by its severity, yet no handle: a pending create no Then step looked at fails the scenario.
      this.unchecked.push({ kind: 'create', status: result.status });
    }
    if (ntSuccess(result.status) && result.gpadl !== undefined) this.gpadls.set(name, { handle: result.gpadl, channel, buffer });
    return result.status;
  }

  pendingCreate(name: string): OperationId {
    const pending = this.pendingCreates.get(name);
    assert.ok(pending !== undefined, `the create of "${name}" never returned STATUS_PENDING in this scenario`);
    // This pending create has been looked at; other creates' failures still need their own Then step.
    const at = this.unchecked.findIndex((failure) => failure.kind === 'create' && failure.status === STATUS_PENDING);
    if (at >= 0) this.unchecked.splice(at, 1);
    return pending.operation;
  }

  /** What a pending create ended with (capability hostControl); a handle it returned names the GPADL from now on. */
  async createOutcome(name: string): Promise<{ status: NtStatus; gpadl?: GpadlHandle }> {
    const pending = this.pendingCreates.get(name);
    const result = await this.impl.createOutcome!(this.pendingCreate(name));
    if (result.status !== STATUS_PENDING) this.noteCreate(name, pending!.channel, pending!.buffer, result);
    return result;
  }

  /** The host behind the channel answers the guest's next request of a kind as directed (capability hostControl). */
  async directHost(directive: HostDirective, channel = DEFAULT_CHANNEL): Promise<void> {
    this.expectOkStatus(await this.impl.hostDirect!(this.endpoint('server', channel), directive), `direct the host (${directive})`);
  }

  get handleOfLastCreate(): GpadlHandle | undefined {
    return this.lastCreateHandle;
  }

  /** Resolves what a step calls a GPADL: a name from this scenario or a literal handle. */
  handleOf(target: string | number): GpadlHandle {
    return typeof target === 'number' ? gpadlHandle(target) : this.gpadl(target).handle;
  }

  async deleteGpadl(target: string | number, role: Role = 'client', channel = DEFAULT_CHANNEL): Promise<OperationState> {
    const start = await this.impl.deleteGpadl(this.endpoint(role, channel), this.handleOf(target));
    const key = typeof target === 'number' ? `handle ${hex(target)}` : target;
    this.deletes.set(key, [...(this.deletes.get(key) ?? []), start.operation]);
    this.lastDelete = start.operation;
    return start.state;
  }

  deletesOf(name: string): readonly OperationId[] {
    const operations = this.deletes.get(name) ?? [];
    assert.ok(operations.length > 0, `"${name}" was never deleted in this scenario`);
    return operations;
  }

  lastDeleteOperation(): OperationId {
    assert.ok(this.lastDelete !== undefined, 'no delete was started in this scenario');
    return this.lastDelete;
  }

  async operationState(operation: OperationId): Promise<OperationState | 'unknown'> {
    return this.impl.operationState(operation);
  }

  /** Every GPADL of the scenario that is still live, ring-buffer GPADLs included, by name. */
  async liveHandles(): Promise<ReadonlyMap<string, GpadlHandle>> {
    const live = new Map<string, GpadlHandle>();
    for (const [channel, record] of this.channels) {
      if (record.ringGpadl !== undefined) live.set(`the ring-buffer GPADL of "${channel}"`, record.ringGpadl);
    }
    for (const [name, gpadl] of this.gpadls) {
      const deletes = this.deletes.get(name) ?? [];
      const last = deletes[deletes.length - 1];
      if (last === undefined || (await this.impl.operationState(last)) !== 'completed') live.set(`"${name}"`, gpadl.handle);
    }
    return live;
  }

  // ---------------------------------------------------------------- mappings

  async mapGpadl(target: string | number, flags: GpadlFlags, role: Role = 'server', channel = DEFAULT_CHANNEL): Promise<NtStatus> {
    const result = await this.impl.mapGpadl(this.endpoint(role, channel), flags, this.handleOf(target));
    this.lastMapMdl = result.mdl;
    if (ntSuccess(result.status) && result.mdl !== undefined && typeof target === 'string') this.mappings.set(target, result.mdl);
    return result.status;
  }

  get mdlOfLastMap(): MdlHandle | undefined {
    return this.lastMapMdl;
  }

  async unmapGpadl(target: string | number, role: Role = 'server', channel = DEFAULT_CHANNEL): Promise<void> {
    await this.impl.unmapGpadl(this.endpoint(role, channel), this.handleOf(target));
  }

  mappingOf(name: string): MdlHandle {
    const mdl = this.mappings.get(name);
    assert.ok(mdl !== undefined, `the server never mapped "${name}" in this scenario`);
    return mdl;
  }

  async describeMdl(mdl: MdlHandle): Promise<readonly MdlDescription[]> {
    const result = await this.impl.describeMdl(mdl);
    assert.ok(ntSuccess(result.status) && result.chain !== undefined, `cannot describe MDL ${hex(mdl)}: ${formatStatus(result.status)}`);
    return result.chain;
  }

  /** The page frame numbers of the MDL chain map returned for a GPADL, first to last, in hex. */
  async mappedPfns(gpadl: string): Promise<string[]> {
    return (await this.describeMdl(this.mappingOf(gpadl))).flatMap((mdl) => mdl.pfns.map(hex));
  }

  /** The page frame numbers of buffers, in hex, in order. */
  async bufferPfns(...buffers: string[]): Promise<string[]> {
    const lists = await Promise.all(buffers.map(async (buffer) => (await this.describeBuffer(buffer)).pfns.map(hex)));
    return lists.flat();
  }

  /** Pages named like "A0 B1" (page 0 of buffer "A", then page 1 of buffer "B"), in hex. */
  async namedPages(pages: string): Promise<string[]> {
    const named: string[] = [];
    for (const token of pages.split(/\s+/).filter(Boolean)) {
      const [, buffer = '', index = ''] = /^(.*?)(\d+)$/.exec(token) ?? [];
      const pfn = (await this.describeBuffer(buffer)).pfns[Number(index)];
      assert.ok(pfn !== undefined, `buffer "${buffer}" has no page ${index}`);
      named.push(hex(pfn));
    }
    return named;
  }

  async readMapping(name: string, offset: number, length: number): Promise<NtStatus> {
    const result = await this.impl.readMdl(this.mappingOf(name), offset, length);
    this.lastRead = result.data;
    return result.status;
  }

  get dataOfLastRead(): Uint8Array | undefined {
    return this.lastRead;
  }

  // ---------------------------------------------------------------- observations

  async violations(): Promise<readonly ContractViolation[]> {
    return this.impl.violations();
  }

  async trace(): Promise<readonly TraceEvent[]> {
    return this.impl.trace();
  }

  /** The msgnumber of every GPADL_BODY message the trace shows for a GPADL of the scenario, in order. */
  async bodyMsgNumbers(name: string): Promise<number[]> {
    const handle = this.gpadl(name).handle;
    return (await this.trace()).flatMap((e) => (e.kind === 'message' && e.message.type === 'GPADL_BODY' && e.message.gpadl === handle ? [e.message.msgNumber] : []));
  }
}

setWorldConstructor(VmbusWorld);
