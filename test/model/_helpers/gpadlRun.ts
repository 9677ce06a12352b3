/**
 * One model-based run: a fresh `ReferenceVmbus`, a small independent oracle of what the contract
 * and README "Choices" promise, and a check of every invariant after every step.
 *
 * The oracle knows only what a driver writer could know from the docs and the README: which
 * GPADLs are live (handle → channel, buffers, offsets, counts, read-only, deleting), which the
 * server has mapped, which deletes are pending, which endpoints are in which state. It never looks
 * at the model's internals; everything it compares comes through the public contract.
 *
 * With capability hostControl it also keeps, per offer, the directives the host was given and not
 * used yet, and predicts from them (docs/protocol.md "A host that refuses or is slow", README choice
 * G29): which create the host refuses (STATUS_UNSUCCESSFUL, its handle used up) or holds back
 * (STATUS_PENDING with an operation, its buffer locked, completed by `hostAnswerDeferred` with the
 * handle it sent, or by a rescind with STATUS_DEVICE_REMOVED), which open fails or waits for its
 * ring-buffer GPADL, and every handle value (G14: one counter from 0xE1E10, +1 per GPADL_HEADER).
 */
import { ReferenceVmbus } from '../../../src/model/ReferenceVmbus.js';
import {
  endpointHandle,
  formatStatus,
  gpadlFlags,
  gpadlHandle,
  hasUndefinedBits,
  hex,
  isReadOnly,
  ntSuccess,
  pagesSpanned,
  PAGE_SIZE,
  operationId,
  STATUS_ACCESS_DENIED,
  STATUS_DEVICE_BUSY,
  STATUS_DEVICE_REMOVED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
  type BufferHandle,
  type EndpointHandle,
  type GpadlHandle,
  type MdlHandle,
  type NtStatus,
  type OperationId,
  type ViolationKind,
} from '../../../src/contract/index.js';
import type { CreateGpadlResult, EndpointState, HostDirective, MdlPart, Synchronous, VmbusImplementation } from '../../../src/contract/Implementation.js';
import type { TraceEvent } from '../../../src/contract/trace.js';
import { PAIRS, showCmd, type BufferSpec, type Cmd, type Count, type EpRef, type HandleRef, type OpRef, type PartSpec } from './gpadlCommands.js';

/** A bogus endpoint handle: the model hands out endpoints from 0x100 upwards, one at a time. */
const BOGUS_ENDPOINT = endpointHandle(0xbad0);
/** A GPADL handle never issued in a run of this size. */
const UNKNOWN_GPADL = gpadlHandle(0x0dead);
/** An operation id never started in a run of this size. */
const UNKNOWN_OPERATION = operationId(0x7fff0);
/** G14: the first handle of a connection. */
const FIRST_GPADL_HANDLE = 0xe1e10;

export class InvariantFailure extends Error {}

/** What one step did: its line in the transcript, the violations it must record, and for a create what it returned and the handle its GPADL_HEADER carried. */
interface StepOutcome {
  readonly text: string;
  readonly violations: ViolationKind[];
  readonly status?: NtStatus;
  readonly gpadl?: GpadlHandle;
  readonly sent?: GpadlHandle;
}

/** `byteCount` bytes from `off` of buffer number `buf`. */
interface Seg {
  readonly buf: number;
  readonly off: number;
  readonly len: number;
}
interface OBuffer {
  readonly handle: BufferHandle;
  readonly byteOffset: number;
  readonly byteCount: number;
  readonly pfns: readonly number[];
  readonly shadow: Uint8Array;
}
interface OMdl {
  readonly handle: MdlHandle;
  readonly segs: readonly Seg[];
  /** Set for an MDL that mapGpadl returned. */
  readonly mappedFrom: GpadlHandle | null;
  sysVa: boolean;
  released: boolean;
}
interface OServer {
  readonly role: 'server';
  readonly pair: number;
  readonly handle: EndpointHandle;
  state: EndpointState;
  freed: boolean;
  /** The offer made by the last enable, until disable. */
  offer: number | null;
  /** Mappings by GPADL handle: the single-mapping rule makes this a map. */
  readonly mappings: Map<number, OMdl>;
}
interface OClient {
  readonly role: 'client';
  readonly pair: number;
  readonly handle: EndpointHandle;
  state: EndpointState;
  freed: boolean;
  /** The offer it has open. */
  offer: number | null;
  /** Every offer it ever opened (a rescinded one is released at client cleanup, G7). */
  readonly opened: Set<number>;
  ring: GpadlHandle | null;
}
type OEnd = OServer | OClient;
interface OPair {
  readonly server: OServer;
  readonly client: OClient;
}
interface OOffer {
  readonly pair: number;
  rescinded: boolean;
  released: boolean;
  /** Directives given to the host of this offer and not used yet, in the order given (hostControl). */
  readonly directives: HostDirective[];
}
/** An open waiting for the GPADL_CREATED of its ring-buffer GPADL, which the host holds back. */
interface ORing {
  readonly handle: GpadlHandle;
  readonly pair: number;
  readonly offer: number;
  /** The client was disabled since: the open is abandoned, the ring torn down when its answer comes. */
  abandoned: boolean;
}
/** What a create returned, or returns in the end (createOutcome). */
interface Outcome {
  readonly status: NtStatus;
  readonly gpadl?: GpadlHandle;
}
interface OOp {
  readonly kind: 'delete' | 'create';
  state: 'pending' | 'completed';
  readonly gpadl: GpadlHandle;
  /** For a create: STATUS_PENDING while it waits, then what it returned. */
  outcome?: Outcome;
}
interface OGpadl {
  readonly handle: GpadlHandle;
  readonly owner: OClient;
  readonly offer: number;
  readonly segs: readonly Seg[];
  /** Buffers the GPADL describes (at least one byte of). */
  readonly described: ReadonlySet<number>;
  /** Buffers it was created from: the one buffer, or every buffer of the MDL chain. */
  readonly sources: ReadonlySet<number>;
  readonly readOnly: boolean;
  /** 'creating': the create returned STATUS_PENDING, the host holds GPADL_CREATED back. */
  phase: 'creating' | 'live' | 'deleting';
  readonly waiters: OperationId[];
  /** The operation of the create that returned STATUS_PENDING. */
  readonly createOp: OperationId | null;
}

export interface RunOptions {
  readonly trace: boolean;
  /**
   * Lock check. 'strict': a buffer is locked exactly while a live or pending-delete GPADL
   * describes it (contract `BufferDescription.locked`: "a live GPADL describes it").
   * 'source' (default): locked whenever one describes it, and unlocked once no live or
   * pending-delete GPADL was created from it (from the buffer itself or an MDL chain over it).
   */
  readonly locks?: 'strict' | 'source';
  /** The implementation under test; a fresh `ReferenceVmbus` by default. */
  readonly implementation?: (options: { trace: boolean }) => Synchronous<VmbusImplementation>;
}

export class GpadlRun {
  readonly vmbus: Synchronous<VmbusImplementation>;
  private readonly traceOn: boolean;
  private readonly strictLocks: boolean;
  private readonly log: string[] = [];
  private readonly buffers: OBuffer[] = [];
  private readonly mdls: OMdl[] = [];
  private readonly builtMdls: OMdl[] = [];
  private readonly pairs: OPair[] = [];
  private readonly offers = new Map<number, OOffer>();
  private readonly gpadls = new Map<number, OGpadl>();
  private readonly ops = new Map<OperationId, OOp>();
  /** Every GPADL handle ever issued (sent in a GPADL_HEADER), ring-buffer GPADLs included, oldest first. */
  private readonly handlesSeen: GpadlHandle[] = [];
  private readonly handleSet = new Set<number>();
  /** Handles no call returned: creates the host refused or held back, ring-buffer GPADLs of opens that failed or wait. */
  private readonly unreturned: GpadlHandle[] = [];
  /** The handle the next GPADL_HEADER carries (G14). */
  private nextHandle = FIRST_GPADL_HANDLE;
  /** Opens waiting for their ring-buffer GPADL's GPADL_CREATED, by its handle. */
  private readonly pendingRings = new Map<number, ORing>();
  /** Handles whose GPADL is gone (delete completed, torn down at cleanup, dropped at release). */
  private readonly dead = new Set<number>();
  private violationsSeen = 0;
  private traceSeen = 0;
  /** The operation of the last deleteGpadl, for the trace check that follows it. */
  private lastOperation: OperationId | undefined;
  private nextOffer = 1;
  private step = 0;
  /** Counts of what happened, for coverage reports. */
  readonly stats = new Map<string, number>();

  constructor(options: RunOptions) {
    this.traceOn = options.trace;
    this.strictLocks = options.locks === 'strict';
    this.vmbus = (options.implementation ?? ((o) => new ReferenceVmbus(o)))({ trace: options.trace });
  }

  // ---- Running ---------------------------------------------------------------------------------

  /** Allocates the buffers and two channels (server, client for it, enable both), builds the first MDL. */
  setup(bufferSpecs: readonly BufferSpec[], chain: readonly PartSpec[]): void {
    this.log.push(`setup buffers ${bufferSpecs.map((b, i) => `buf${i}={offset ${b.byteOffset}, ${b.byteCount} bytes}`).join(', ')}`);
    for (const spec of bufferSpecs) {
      const allocated = this.call('allocateBuffer', () => this.vmbus.allocateBuffer(spec));
      if (allocated.status !== STATUS_SUCCESS || allocated.buffer === undefined) this.fail('setup', `allocateBuffer failed: ${formatStatus(allocated.status)}`);
      const description = this.vmbus.describeBuffer(allocated.buffer).description!;
      this.buffers.push({ handle: allocated.buffer, byteOffset: spec.byteOffset, byteCount: spec.byteCount, pfns: [...description.pfns], shadow: new Uint8Array(spec.byteCount) });
    }
    for (let pair = 0; pair < PAIRS; pair++) {
      const server = this.call('allocateChannel', () => this.vmbus.allocateChannel({ role: 'server' }));
      const client = this.call('allocateChannel', () => this.vmbus.allocateChannel({ role: 'client', server: server.endpoint! }));
      if (server.endpoint === undefined || client.endpoint === undefined) this.fail('setup', 'allocateChannel failed');
      const serverEnd: OServer = { role: 'server', pair, handle: server.endpoint, state: 'Disabled', freed: false, offer: null, mappings: new Map() };
      const clientEnd: OClient = { role: 'client', pair, handle: client.endpoint, state: 'Disabled', freed: false, offer: null, opened: new Set(), ring: null };
      this.pairs.push({ server: serverEnd, client: clientEnd });
      this.run({ op: 'enable', ep: { pair, role: 'server' } });
      this.run({ op: 'enable', ep: { pair, role: 'client' } });
      if (clientEnd.state !== 'Opened') this.fail('setup', `channel ${pair} did not open`);
    }
    this.run({ op: 'buildMdl', parts: chain });
  }

  run(cmd: Cmd): void {
    if (cmd.op === 'reopen') {
      this.run({ op: 'disable', ep: cmd.ep });
      this.run({ op: 'enable', ep: cmd.ep });
      return;
    }
    const index = this.step++;
    this.log.push(`#${index} ${showCmd(cmd)}`);
    const pendingBefore = [...this.ops].filter(([, op]) => op.state === 'pending').map(([id]) => id);
    const outcome = this.execute(cmd);
    this.log[this.log.length - 1] += ` → ${outcome.text}`;
    const why = /\(([^)]*)\)$/.exec(outcome.text)?.[1]?.replace(/0x[0-9A-F]+/g, 'h');
    this.count(`${cmd.op}:${outcome.text.split(' ')[0]!.replace(/[,:;]$/, '')}${why === undefined ? '' : ` (${why})`}`);
    this.checkViolations(outcome.violations);
    this.checkInvariants();
    if (this.traceOn) this.checkTrace(cmd, outcome, pendingBefore);
  }

  /** Everything that happened, one line per step, for failure messages. */
  transcript(): string {
    return this.log.join('\n');
  }

  private count(key: string): void {
    this.stats.set(key, (this.stats.get(key) ?? 0) + 1);
  }

  fail(invariant: string, detail: string): never {
    throw new InvariantFailure(`${invariant}: ${detail}\n--- steps (→ status as returned) ---\n${this.transcript()}`);
  }

  /** Invariant 1: no operation throws. */
  private call<T>(what: string, body: () => T): T {
    try {
      return body();
    } catch (error) {
      this.fail('invariant 1 (no operation throws)', `${what} threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  // ---- Resolving references --------------------------------------------------------------------

  private endpoint(ref: EpRef): { handle: EndpointHandle; end: OEnd | null } {
    if ('bogus' in ref) return { handle: BOGUS_ENDPOINT, end: null };
    const pair = this.pairs[ref.pair % this.pairs.length]!;
    const end = ref.role === 'client' ? pair.client : pair.server;
    return { handle: end.handle, end };
  }

  private handle(ref: HandleRef): GpadlHandle {
    if (ref.k === 'zero') return gpadlHandle(0);
    if (ref.k === 'unknown' || this.handlesSeen.length === 0) return UNKNOWN_GPADL;
    const from = (list: readonly GpadlHandle[]): GpadlHandle => list[list.length - 1 - (ref.i % list.length)]!;
    if (ref.k === 'unreturned') return from(this.unreturned.length > 0 ? this.unreturned : this.handlesSeen);
    const live = ref.k === 'seen' ? [] : [...this.gpadls.values()].filter((g) => g.phase === 'live').map((g) => g.handle);
    const mapped = ref.k === 'mapped' ? this.pairs.flatMap((p) => [...p.server.mappings.keys()]).map((h) => gpadlHandle(h)).sort((a, b) => a - b) : [];
    const list = mapped.length > 0 ? mapped : live.length > 0 ? live : this.handlesSeen;
    return from(list);
  }

  private recentMdl(list: readonly OMdl[], i: number): OMdl | undefined {
    return list.length === 0 ? undefined : list[list.length - 1 - (i % list.length)];
  }

  private buffer(i: number): { index: number; buffer: OBuffer } {
    const index = i % this.buffers.length;
    return { index, buffer: this.buffers[index]! };
  }

  // ---- Executing one command against model and oracle -------------------------------------------

  private execute(cmd: Cmd): StepOutcome {
    switch (cmd.op) {
      case 'createBuf':
        return this.createFromBuffer(cmd);
      case 'createMdl':
        return this.createFromMdl(cmd);
      case 'buildMdl':
        return this.buildMdl(cmd.parts);
      case 'delete':
        return this.deleteGpadl(cmd);
      case 'map':
        return this.mapGpadl(cmd);
      case 'unmap':
        return this.unmapGpadl(cmd);
      case 'sysVa':
        return this.mapToSystemVa(cmd.mdl);
      case 'writeMdl':
      case 'readMdl':
        return this.accessMdl(cmd);
      case 'writeBuf':
      case 'readBuf':
        return this.accessBuffer(cmd);
      case 'enable':
        return this.enable(cmd.ep);
      case 'disable':
        return this.disable(cmd.ep);
      case 'cleanup':
        return this.cleanup(cmd.ep);
      case 'reopen':
        throw new Error('reopen is run as its two calls');
      case 'hostDirect':
        return this.hostDirect(cmd);
      case 'hostAnswer':
        return this.hostAnswer(cmd.ep);
      case 'createOutcome':
        return this.createOutcome(cmd.ref);
    }
  }

  /** A failure, of any code but `not` where the docs only say "another failure". */
  private expectFailure(fn: string, actual: NtStatus, why: string, not?: NtStatus): void {
    if (ntSuccess(actual)) this.fail(`status: ${fn} succeeded but must fail`, `returned ${formatStatus(actual)} (${why})`);
    if (not !== undefined && actual === not) this.fail(`status: ${fn}`, `returned ${formatStatus(actual)}, which means something else (${why})`);
  }

  /** Invariant 7, and the exact code where README "Choices" fixes it. */
  private expectStatus(fn: string, actual: NtStatus, expected: NtStatus, why: string, invariant = 'status (README choices)'): void {
    if (actual !== expected) {
      const label = ntSuccess(actual) && !ntSuccess(expected) ? `${invariant}: ${fn} succeeded but must fail` : `${invariant}: ${fn}`;
      this.fail(label, `returned ${formatStatus(actual)}, expected ${formatStatus(expected)} (${why})`);
    }
  }

  /** Invariant 7: an out-parameter only with success, and always with success. */
  private expectOut(fn: string, status: NtStatus, out: unknown, name: string): void {
    if (!ntSuccess(status) && out !== undefined) this.fail('invariant 7 (no out-parameter on failure)', `${fn} returned ${formatStatus(status)} with ${name} = ${String(out)}`);
    if (ntSuccess(status) && out === undefined) this.fail('invariant 7 (out-parameter on success)', `${fn} returned ${formatStatus(status)} without ${name}`);
  }

  private createFromBuffer(cmd: Extract<Cmd, { op: 'createBuf' }>) {
    const { handle: ep, end } = this.endpoint(cmd.ep);
    const { index, buffer } = this.buffer(cmd.buf);
    const byteCount = resolveCount(cmd.count, buffer.byteCount);
    const flags = gpadlFlags(cmd.flags);
    const describe = (): Seg[] | string => (byteCount === 0 ? 'byte count 0' : byteCount > buffer.byteCount ? 'beyond the buffer' : [{ buf: index, off: 0, len: byteCount }]);
    const result = this.call('createGpadlFromBuffer', () => this.vmbus.createGpadlFromBuffer(ep, flags, buffer.handle, byteCount));
    return this.finishCreate('createGpadlFromBuffer', `${byteCount} bytes of buf${index}`, end, flags, describe, [index], result);
  }

  private createFromMdl(cmd: Extract<Cmd, { op: 'createMdl' }>) {
    const mdl = this.recentMdl(this.builtMdls, cmd.mdl);
    if (mdl === undefined) return { text: 'skipped (no MDL)', violations: [] };
    const { handle: ep, end } = this.endpoint(cmd.ep);
    const total = mdl.segs.reduce((sum, seg) => sum + seg.len, 0);
    const start = cmd.start.k === 'zero' ? 0 : cmd.start.k === 'all' ? total : cmd.start.k === 'within' ? cmd.start.n % total : total + 1 + cmd.start.n;
    const room = Math.max(0, total - start);
    const length = resolveCount(cmd.length, room);
    const flags = gpadlFlags(cmd.flags);
    const describe = (): Seg[] | string => {
      const effective = length === 0 ? total - start : length;
      if (start >= total) return 'start at or beyond the end of the chain';
      if (effective <= 0 || start + effective > total) return 'length beyond the chain';
      return sliceSegs(mdl.segs, start, effective);
    };
    const result = this.call('createGpadlFromMdl', () => this.vmbus.createGpadlFromMdl(ep, flags, mdl.handle, start, length));
    const sources = mdl.segs.map((seg) => seg.buf);
    return this.finishCreate('createGpadlFromMdl', `${hex(mdl.handle)} start ${start} length ${length} of ${total}`, end, flags, describe, sources, result);
  }

  private finishCreate(fn: string, what: string, end: OEnd | null, flags: ReturnType<typeof gpadlFlags>, describe: () => Seg[] | string, sources: readonly number[], result: CreateGpadlResult): StepOutcome {
    let expected: NtStatus = STATUS_SUCCESS;
    let why = 'valid';
    let segs: Seg[] | string = [];
    if (hasUndefinedBits(flags)) [expected, why] = [STATUS_INVALID_PARAMETER, 'undefined flag bits (G2)'];
    else if (end === null || end.freed) [expected, why] = [STATUS_INVALID_HANDLE, 'endpoint not allocated'];
    else if (end.role !== 'client') [expected, why] = [STATUS_INVALID_DEVICE_REQUEST, 'server endpoint (G1)'];
    else if (end.state !== 'Opened') [expected, why] = [STATUS_INVALID_DEVICE_STATE, `client is ${end.state} (G9)`];
    else if (typeof (segs = describe()) === 'string') [expected, why] = [STATUS_INVALID_PARAMETER, `${segs} (G15)`];
    // A create that passes the checks sends GPADL_HEADER with the next handle (G14), whatever the host answers.
    let sent: GpadlHandle | undefined;
    let directive: HostDirective | undefined;
    if (expected === STATUS_SUCCESS) {
      sent = this.issueHandle();
      directive = this.takeDirective((end as OClient).offer!, 'refuseGpadl', 'deferGpadl');
      if (directive === 'refuseGpadl') [expected, why] = [STATUS_UNSUCCESSFUL, `the host refused GPADL ${hex(sent)} (refuseGpadl, G29)`];
      else if (directive === 'deferGpadl') [expected, why] = [STATUS_PENDING, `the host holds GPADL_CREATED for ${hex(sent)} back (deferGpadl, G29)`];
    }
    this.expectStatus(fn, result.status, expected, `${what}: ${why}`, 'invariant 7 / create');
    if (result.status === STATUS_PENDING) {
      if (result.gpadl !== undefined) this.fail('invariant 7 (no out-parameter on failure)', `${fn} returned STATUS_PENDING with gpadl = ${hex(result.gpadl)} (G29)`);
      if (result.operation === undefined) this.fail('G29 (a pending create returns an operation)', `${fn} returned STATUS_PENDING without an operation`);
    } else {
      this.expectOut(fn, result.status, result.gpadl, 'gpadl');
      if (result.operation !== undefined) this.fail('G29 (an operation only with STATUS_PENDING)', `${fn} returned ${formatStatus(result.status)} with operation ${result.operation}`);
    }
    if (sent === undefined) return { text: formatStatus(result.status), violations: [], status: result.status };
    const client = end as OClient;
    if (directive === 'refuseGpadl') {
      this.dead.add(sent);
      this.unreturned.push(sent);
      return { text: `${formatStatus(result.status)} (host refused, handle used up)`, violations: [], status: result.status, sent };
    }
    let createOp: OperationId | null = null;
    if (directive === 'deferGpadl') {
      createOp = result.operation!;
      if (this.ops.has(createOp)) this.fail('operations', `${fn} returned operation ${createOp}, already used`);
      this.ops.set(createOp, { kind: 'create', state: 'pending', gpadl: sent, outcome: { status: STATUS_PENDING } });
      this.unreturned.push(sent);
    } else {
      this.expectHandle(fn, result.gpadl!, sent);
    }
    const described = new Set((segs as Seg[]).map((s) => s.buf));
    const phase = createOp === null ? 'live' : 'creating';
    this.gpadls.set(sent, { handle: sent, owner: client, offer: client.offer!, segs: segs as Seg[], described, sources: new Set(sources), readOnly: isReadOnly(flags), phase, waiters: [], createOp });
    const text = createOp === null ? `STATUS_SUCCESS gpadl=${hex(sent)}${isReadOnly(flags) ? ' (read-only)' : ''}` : `STATUS_PENDING op=${createOp}, GPADL ${hex(sent)} waits for the host`;
    return { text, violations: [], status: result.status, gpadl: result.gpadl, sent };
  }

  /** G14: the next GPADL_HEADER carries the next value of the connection's counter. */
  private issueHandle(): GpadlHandle {
    const handle = gpadlHandle(this.nextHandle++);
    this.handleSet.add(handle);
    this.handlesSeen.push(handle);
    return handle;
  }

  /** Invariant 3 and G14: the handle a call returned is the one its GPADL_HEADER carried. */
  private expectHandle(fn: string, actual: GpadlHandle, predicted: GpadlHandle): void {
    if (actual === predicted) return;
    if (actual === 0) this.fail('invariant 3 (handles)', `${fn} returned handle 0`);
    if (this.handleSet.has(actual)) this.fail('invariant 3 (handles)', `${fn} returned ${hex(actual)} again${this.dead.has(actual) ? ' after it died' : ' while it is in use'}`);
    this.fail('G14 (handle values)', `${fn} returned ${hex(actual)}, expected ${hex(predicted)} (one counter from 0xE1E10, +1 per GPADL_HEADER, refused creates and ring-buffer GPADLs included)`);
  }

  /** The first directive of one of `kinds` the offer's host was given, used up (hostControl: in the order given). */
  private takeDirective(offer: number, ...kinds: HostDirective[]): HostDirective | undefined {
    const directives = this.offers.get(offer)!.directives;
    const at = directives.findIndex((d) => kinds.includes(d));
    return at < 0 ? undefined : directives.splice(at, 1)[0];
  }

  private buildMdl(parts: readonly PartSpec[]) {
    const resolved: MdlPart[] = [];
    const segs: Seg[] = [];
    let invalid = parts.length === 0 ? 'no parts' : '';
    for (const part of parts) {
      const { index, buffer } = this.buffer(part.buf);
      const off = part.off % buffer.byteCount;
      const len = part.len.k === 'all' ? buffer.byteCount - off : resolveCount(part.len, buffer.byteCount - off);
      resolved.push(part.len.k === 'all' ? { buffer: buffer.handle, byteOffset: off } : { buffer: buffer.handle, byteOffset: off, byteCount: len });
      if (len === 0 || off + len > buffer.byteCount) invalid ||= `part over buf${index} @${off}+${len} does not fit`;
      segs.push({ buf: index, off, len });
    }
    const result = this.call('buildMdl', () => this.vmbus.buildMdl(resolved));
    this.expectStatus('buildMdl', result.status, invalid ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS, invalid || 'valid', 'invariant 7 / buildMdl');
    this.expectOut('buildMdl', result.status, result.mdl, 'mdl');
    if (result.status !== STATUS_SUCCESS) return { text: formatStatus(result.status), violations: [] };
    const mdl: OMdl = { handle: result.mdl!, segs, mappedFrom: null, sysVa: false, released: false };
    this.mdls.push(mdl);
    this.builtMdls.push(mdl);
    return { text: `STATUS_SUCCESS mdl=${hex(mdl.handle)} [${segs.map((s) => `buf${s.buf}@${s.off}+${s.len}`).join(', ')}]`, violations: [] };
  }

  private deleteGpadl(cmd: Extract<Cmd, { op: 'delete' }>) {
    const { handle: ep, end } = this.endpoint(cmd.ep);
    const h = this.handle(cmd.h);
    const result = this.call('deleteGpadl', () => this.vmbus.deleteGpadl(ep, h));
    const op = result.operation;
    if (this.ops.has(op)) this.fail('operations', `deleteGpadl returned operation ${op}, already used`);
    let violations: ViolationKind[] = [];
    let expected: 'pending' | 'completed' = 'completed';
    let why: string;
    const g = this.gpadls.get(h);
    if (end === null || end.freed) [violations, why] = [['InvalidEndpointHandle'], 'endpoint not allocated'];
    else if (end.role !== 'client') [violations, why] = [['ClientFunctionOnServer'], 'server endpoint (G1)'];
    else if (g === undefined || g.owner !== end) [violations, why] = [['DeleteOfUnknownGpadl'], `${hex(h)} is not a live GPADL of this client (G3)`];
    else if (g.phase === 'creating') [violations, why] = [['DeleteOfUnknownGpadl'], `${hex(h)} is not created yet, no call returned it, G3`];
    else if (g.phase === 'deleting') {
      [expected, why] = ['pending', 'joins the pending delete (G3)'];
      g.waiters.push(op);
    } else if (this.offers.get(g.offer)!.rescinded) {
      why = 'channel rescinded: completes without waiting for the host (G7)';
      this.remove(g);
    } else if (this.mappedBy(g) !== undefined) {
      [expected, why] = ['pending', 'mapped: waits for the unmap (G13)'];
      g.phase = 'deleting';
      g.waiters.push(op);
    } else {
      why = 'not mapped: completes at once';
      this.remove(g);
    }
    this.ops.set(op, { kind: 'delete', state: expected, gpadl: h });
    this.lastOperation = op;
    if (result.state !== expected) this.fail('invariant 5 (delete pending until unmap)', `deleteGpadl(${hex(h)}) returned state ${result.state}, expected ${expected} (${why})`);
    return { text: `${result.state} op=${op} (${why})`, violations };
  }

  /** The server mapping of a GPADL, if its channel's server holds one. */
  private mappedBy(g: OGpadl): OMdl | undefined {
    return this.pairs[g.owner.pair]!.server.mappings.get(g.handle);
  }

  /** The GPADL is gone: its waiting deletes complete and the handle is dead for good. */
  private remove(g: OGpadl): void {
    if (g.phase === 'creating') this.fail('oracle', `remove of ${hex(g.handle)} whose create is pending`);
    this.gpadls.delete(g.handle);
    this.dead.add(g.handle);
    for (const op of g.waiters) this.ops.get(op)!.state = 'completed';
  }

  private mapGpadl(cmd: Extract<Cmd, { op: 'map' }>) {
    const { handle: ep, end } = this.endpoint(cmd.ep);
    const h = this.handle(cmd.h);
    const flags = gpadlFlags(cmd.flags);
    const g = this.gpadls.get(h);
    let expected: NtStatus = STATUS_SUCCESS;
    let why = 'live, not mapped, not being deleted';
    if (hasUndefinedBits(flags)) [expected, why] = [STATUS_INVALID_PARAMETER, 'undefined flag bits (G2)'];
    else if (end === null || end.freed) [expected, why] = [STATUS_INVALID_HANDLE, 'endpoint not allocated'];
    else if (end.role !== 'server') [expected, why] = [STATUS_INVALID_DEVICE_REQUEST, 'client endpoint (G1)'];
    else if (end.state !== 'Opened') [expected, why] = [STATUS_INVALID_DEVICE_STATE, `server is ${end.state}`];
    else if (g === undefined || g.offer !== end.offer || g.phase !== 'live') {
      expected = STATUS_INVALID_PARAMETER;
      why = this.dead.has(h) ? 'deleted' : g === undefined ? 'unknown / ring-buffer GPADL' : g.offer !== end.offer ? "another channel's GPADL" : g.phase === 'creating' ? 'create pending' : 'being deleted';
    } else if (end.mappings.has(h)) [expected, why] = [STATUS_DEVICE_BUSY, 'already mapped (single mapping)'];
    else if (!isReadOnly(flags) && g.readOnly) [expected, why] = [STATUS_ACCESS_DENIED, 'write map of a read-only GPADL'];
    const result = this.call('mapGpadl', () => this.vmbus.mapGpadl(ep, flags, h));
    if (ntSuccess(result.status) && this.dead.has(h)) this.fail('invariant 3 (deleted handle never valid again)', `mapGpadl of ${hex(h)} succeeded after its delete completed`);
    if (ntSuccess(result.status) && end?.role === 'server' && end.mappings.has(h)) this.fail('invariant 2 (one mapping per GPADL)', `second mapGpadl of ${hex(h)} succeeded while mapped`);
    this.expectStatus('mapGpadl', result.status, expected, `${hex(h)}: ${why}`, 'invariant 2 / map');
    this.expectOut('mapGpadl', result.status, result.mdl, 'mdl');
    if (result.status !== STATUS_SUCCESS) return { text: `${formatStatus(result.status)} (${why})`, violations: [] };
    if (this.mdls.some((m) => m.handle === result.mdl)) this.fail('mdl handles', `mapGpadl returned MDL ${hex(result.mdl!)} that already exists`);
    const mdl: OMdl = { handle: result.mdl!, segs: g!.segs, mappedFrom: h, sysVa: false, released: false };
    (end as OServer).mappings.set(h, mdl);
    this.mdls.push(mdl);
    return { text: `STATUS_SUCCESS mdl=${hex(mdl.handle)} of ${hex(h)}`, violations: [] };
  }

  private unmapGpadl(cmd: Extract<Cmd, { op: 'unmap' }>) {
    const { handle: ep, end } = this.endpoint(cmd.ep);
    const h = this.handle(cmd.h);
    this.call('unmapGpadl', () => this.vmbus.unmapGpadl(ep, h));
    if (end === null || end.freed) return { text: 'violation (endpoint)', violations: ['InvalidEndpointHandle' as ViolationKind] };
    if (end.role !== 'server') return { text: 'violation (client endpoint, G1)', violations: ['ServerOnlyFunctionOnClient' as ViolationKind] };
    if (end.mappings.has(h)) {
      const completing = this.release(end, h);
      return { text: `unmapped ${hex(h)}${completing}`, violations: [] };
    }
    const g = this.gpadls.get(h);
    // A GPADL whose GPADL_CREATED the host holds back is not live yet, and no call returned its handle: unknown (G5).
    const heldBack = g?.phase === 'creating' || this.pendingRings.has(h);
    const onChannel = !heldBack && g !== undefined && g.offer === end.offer && end.offer !== null;
    return { text: `violation (${onChannel ? 'not mapped' : 'unknown'}, G5)`, violations: [onChannel ? 'UnmapWithoutMap' : 'UnmapOfUnknownGpadl'] as ViolationKind[] };
  }

  /** The server lets go of its mapping of `h`: a delete waiting for it completes (G13). */
  private release(server: OServer, h: number): string {
    const mdl = server.mappings.get(h)!;
    mdl.released = true;
    server.mappings.delete(h);
    const g = this.gpadls.get(h);
    if (g === undefined || g.phase !== 'deleting') return '';
    this.remove(g);
    return `; the pending delete completes (${g.waiters.length} waiting)`;
  }

  private mapToSystemVa(i: number) {
    const mdl = this.recentMdl(this.mdls, i);
    if (mdl === undefined) return { text: 'skipped (no MDL)', violations: [] };
    const status = this.call('mapMdlToSystemVa', () => this.vmbus.mapMdlToSystemVa(mdl.handle));
    const expected = mdl.released ? STATUS_INVALID_DEVICE_STATE : STATUS_SUCCESS;
    this.expectStatus('mapMdlToSystemVa', status, expected, mdl.released ? 'MDL of a released mapping' : 'valid MDL', 'invariant 7 / mapMdlToSystemVa');
    if (status === STATUS_SUCCESS) mdl.sysVa = true;
    return { text: `${formatStatus(status)} ${hex(mdl.handle)}`, violations: mdl.released ? (['MdlAccessAfterUnmap'] as ViolationKind[]) : [] };
  }

  private accessMdl(cmd: Extract<Cmd, { op: 'writeMdl' | 'readMdl' }>) {
    const mdl = this.recentMdl(this.mdls, cmd.mdl);
    if (mdl === undefined) return { text: 'skipped (no MDL)', violations: [] };
    const total = mdl.segs.reduce((sum, seg) => sum + seg.len, 0);
    const off = cmd.off % (total + 1);
    const len = cmd.len % (total - off + 2);
    let expected: NtStatus = STATUS_SUCCESS;
    let why = 'in range, system VA';
    let violations: ViolationKind[] = [];
    // A released mapping's MDL is dead: any touch is the violation, whatever the range (G21).
    if (mdl.released) [expected, why, violations] = [STATUS_INVALID_DEVICE_STATE, 'mapping released', ['MdlAccessAfterUnmap']];
    else if (off + len > total) [expected, why] = [STATUS_INVALID_PARAMETER, `${off}+${len} beyond ${total}`];
    else if (!mdl.sysVa) [expected, why, violations] = [STATUS_INVALID_DEVICE_STATE, 'no system VA', ['MdlAccessWithoutSystemVa']];
    const what = `${cmd.op}(${hex(mdl.handle)}, ${off}, ${len})`;
    if (cmd.op === 'readMdl') {
      const result = this.call('readMdl', () => this.vmbus.readMdl(mdl.handle, off, len));
      this.expectStatus('readMdl', result.status, expected, why, 'invariant 7 / readMdl');
      this.expectOut('readMdl', result.status, result.data, 'data');
      if (result.status === STATUS_SUCCESS) this.expectBytes(`invariant 6 (coherence): readMdl ${what}`, result.data!, this.shadowOf(mdl.segs, off, len));
      return { text: `${formatStatus(result.status)} (${why})`, violations };
    }
    const data = pattern(len, cmd.byte + this.step);
    const status = this.call('writeMdl', () => this.vmbus.writeMdl(mdl.handle, off, data));
    this.expectStatus('writeMdl', status, expected, why, 'invariant 7 / writeMdl');
    if (status === STATUS_SUCCESS) {
      // Invariant 6: what went in through the MDL comes out of the buffer at the matching offset.
      // (A built chain may name the same bytes twice; then the later part wins, as in memory.)
      const written = pieces(mdl.segs, off, len);
      for (const piece of written) this.buffers[piece.buf]!.shadow.set(data.subarray(piece.done, piece.done + piece.n), piece.at);
      for (const piece of written) {
        const buffer = this.buffers[piece.buf]!;
        const back = this.call('readBuffer', () => this.vmbus.readBuffer(buffer.handle, piece.at, piece.n));
        if (back.status !== STATUS_SUCCESS) this.fail('invariant 6 (coherence)', `readBuffer(buf${piece.buf}, ${piece.at}, ${piece.n}) after ${what}: ${formatStatus(back.status)}`);
        const overlapped = written.some((p) => p !== piece && p.buf === piece.buf && p.at < piece.at + piece.n && piece.at < p.at + p.n);
        const expected = overlapped ? buffer.shadow.subarray(piece.at, piece.at + piece.n) : data.subarray(piece.done, piece.done + piece.n);
        this.expectBytes(`invariant 6 (coherence): readBuffer(buf${piece.buf}, ${piece.at}, ${piece.n}) after ${what}`, back.data!, expected);
      }
    }
    return { text: `${formatStatus(status)} (${why})`, violations };
  }

  private accessBuffer(cmd: Extract<Cmd, { op: 'writeBuf' | 'readBuf' }>) {
    const { index, buffer } = this.buffer(cmd.buf);
    const off = cmd.off % (buffer.byteCount + 1);
    const len = cmd.len % (buffer.byteCount - off + 2);
    const fits = off + len <= buffer.byteCount;
    const expected = fits ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    const what = `${cmd.op}(buf${index}, ${off}, ${len})`;
    if (cmd.op === 'readBuf') {
      const result = this.call('readBuffer', () => this.vmbus.readBuffer(buffer.handle, off, len));
      this.expectStatus('readBuffer', result.status, expected, fits ? 'in range' : 'beyond the buffer', 'invariant 7 / readBuffer');
      this.expectOut('readBuffer', result.status, result.data, 'data');
      if (result.status === STATUS_SUCCESS) this.expectBytes(`invariant 6 (coherence): ${what}`, result.data!, buffer.shadow.subarray(off, off + len));
      return { text: formatStatus(result.status), violations: [] };
    }
    const data = pattern(len, cmd.byte + this.step);
    const status = this.call('writeBuffer', () => this.vmbus.writeBuffer(buffer.handle, off, data));
    this.expectStatus('writeBuffer', status, expected, fits ? 'in range' : 'beyond the buffer', 'invariant 7 / writeBuffer');
    if (status !== STATUS_SUCCESS) return { text: formatStatus(status), violations: [] };
    buffer.shadow.set(data, off);
    // Invariant 6, the other way: every usable mapped MDL over those bytes reads them back.
    let checked = 0;
    for (const mdl of this.mdls) {
      if (mdl.mappedFrom === null || mdl.released || !mdl.sysVa) continue;
      let streamAt = 0;
      for (const seg of mdl.segs) {
        const lo = Math.max(seg.off, off);
        const hi = Math.min(seg.off + seg.len, off + len);
        if (seg.buf === index && lo < hi) {
          const at = streamAt + (lo - seg.off);
          const back = this.call('readMdl', () => this.vmbus.readMdl(mdl.handle, at, hi - lo));
          if (back.status !== STATUS_SUCCESS) this.fail('invariant 6 (coherence)', `readMdl(${hex(mdl.handle)}, ${at}, ${hi - lo}) after ${what}: ${formatStatus(back.status)}`);
          this.expectBytes(`invariant 6 (coherence): readMdl(${hex(mdl.handle)}, ${at}, ${hi - lo}) after ${what}`, back.data!, data.subarray(lo - off, hi - off));
          checked++;
        }
        streamAt += seg.len;
      }
    }
    return { text: `${formatStatus(status)}${checked > 0 ? ` (read back through ${checked} mapped MDL range(s))` : ''}`, violations: [] };
  }

  private enable(ref: EpRef): StepOutcome {
    const { handle, end } = this.endpoint(ref);
    const status = this.call('enableChannel', () => this.vmbus.enableChannel(handle));
    const expected = end === null || end.freed ? STATUS_INVALID_HANDLE : end.state !== 'Disabled' ? STATUS_INVALID_DEVICE_STATE : STATUS_SUCCESS;
    this.expectStatus('enableChannel', status, expected, end === null || end.freed ? 'not allocated' : `endpoint is ${end.state}`, 'enableChannel');
    if (status !== STATUS_SUCCESS) return { text: formatStatus(status), violations: [] };
    const pair = this.pairs[end!.pair]!;
    end!.state = 'Enabled';
    let opened = '';
    if (end!.role === 'server') {
      const offer = this.nextOffer++;
      this.offers.set(offer, { pair: end!.pair, rescinded: false, released: false, directives: [] });
      pair.server.offer = offer;
      if (!pair.client.freed && pair.client.state === 'Enabled') opened = this.open(pair);
    } else if (pair.server.offer !== null && !pair.server.freed) {
      opened = this.open(pair);
    }
    return { text: `${formatStatus(status)}${opened}`, violations: [] };
  }

  /**
   * The client opens the server's current offer: a ring-buffer GPADL (one handle, G14), then
   * OPENCHANNEL once GPADL_CREATED(success) came. Enable does not wait for the open (G29): a ring
   * the host refuses leaves the client Enabled, one it holds back makes the open wait.
   */
  private open(pair: OPair): string {
    const offer = pair.server.offer!;
    const ring = this.issueHandle();
    const directive = this.takeDirective(offer, 'refuseGpadl', 'deferGpadl');
    if (directive !== undefined) this.unreturned.push(ring);
    if (directive === 'refuseGpadl') {
      this.dead.add(ring);
      this.count('open:ring GPADL refused');
      return `; ring GPADL ${hex(ring)} refused by the host, not opened`;
    }
    if (directive === 'deferGpadl') {
      this.pendingRings.set(ring, { handle: ring, pair: pair.client.pair, offer, abandoned: false });
      this.count('open:ring GPADL held back');
      return `; ring GPADL ${hex(ring)} held back, the open waits`;
    }
    return this.openWithRing(pair, offer, ring);
  }

  /** OPENCHANNEL naming an accepted ring-buffer GPADL: a refused open tears it down, the client stays Enabled (G29). */
  private openWithRing(pair: OPair, offer: number, ring: GpadlHandle): string {
    const { client, server } = pair;
    if (this.takeDirective(offer, 'refuseOpen') !== undefined) {
      this.unreturned.push(ring);
      this.dead.add(ring);
      this.count('open:refused');
      return `; open refused by the host, ring GPADL ${hex(ring)} torn down`;
    }
    client.state = 'Opened';
    client.offer = offer;
    client.opened.add(offer);
    server.state = 'Opened';
    client.ring = ring;
    this.count('open:opened');
    return `; opened with ring GPADL ${hex(ring)}`;
  }

  private disable(ref: EpRef): StepOutcome {
    const { handle, end } = this.endpoint(ref);
    const violations: ViolationKind[] = [];
    let text = 'no-op (already Disabled)';
    if (end === null || end.freed) {
      violations.push('InvalidEndpointHandle');
      text = 'violation (endpoint)';
    } else if (end.role === 'server' && end.state !== 'Disabled') {
      const offer = end.offer!;
      for (let i = 0; i < end.mappings.size; i++) violations.push('MappingLiveAtDisable');
      end.state = 'Disabled';
      end.offer = null;
      text = `rescinded offer ${offer}${this.revoke(offer)}`;
    } else if (end.role === 'client' && end.state !== 'Disabled') {
      // An open still waiting for its ring-buffer GPADL is abandoned: the ring goes when its answer comes.
      for (const ring of this.pendingRings.values()) if (ring.pair === end.pair) ring.abandoned = true;
      if (end.state === 'Opened') {
        for (const g of this.gpadls.values()) if (g.owner === end && g.phase === 'live') violations.push('GpadlLiveAtClose');
        const server = this.pairs[end.pair]!.server;
        if (server.offer === end.offer && server.state === 'Opened') server.state = 'Closed';
        if (end.ring !== null) this.dead.add(end.ring);
        end.ring = null;
        end.offer = null;
        text = `closed (${violations.length} GPADL(s) still live, G7)`;
      } else text = 'Enabled → Disabled';
      end.state = 'Disabled';
    }
    this.call('disableChannel', () => this.vmbus.disableChannel(handle));
    return { text, violations };
  }

  /**
   * Server disable (G7): the host drops unused directives, the guest sees a rescind; deletes the
   * host held back are answered; creates still waiting fail with STATUS_DEVICE_REMOVED and unlock
   * their buffers, and an open waiting for its ring-buffer GPADL does not happen (G29).
   */
  private revoke(offer: number): string {
    const o = this.offers.get(offer)!;
    o.rescinded = true;
    const dropped = o.directives.splice(0).length;
    let failed = 0;
    for (const g of [...this.gpadls.values()]) {
      if (g.offer !== offer || g.phase !== 'creating') continue;
      this.settleCreate(g, { status: STATUS_DEVICE_REMOVED });
      failed++;
    }
    for (const ring of [...this.pendingRings.values()]) {
      if (ring.offer !== offer) continue;
      this.pendingRings.delete(ring.handle);
      this.dead.add(ring.handle);
      this.count('open:ring GPADL rescinded while held back');
    }
    const client = this.pairs[o.pair]!.client;
    const users = !client.freed && client.opened.has(offer);
    if (!users) this.releaseOffer(offer);
    if (client.offer === offer) {
      client.state = 'Disabled';
      client.offer = null;
      if (client.ring !== null) this.dead.add(client.ring);
      client.ring = null;
    }
    for (const g of [...this.gpadls.values()]) if (g.offer === offer && g.phase === 'deleting') this.remove(g);
    if (dropped > 0) this.count('revoke:directives dropped');
    return `${failed > 0 ? `; ${failed} pending create(s) removed` : ''}${dropped > 0 ? `; ${dropped} directive(s) dropped` : ''}`;
  }

  /** A create that returned STATUS_PENDING ends: with its handle, or failed with no handle and its buffers unlocked. */
  private settleCreate(g: OGpadl, outcome: Outcome): void {
    const op = this.ops.get(g.createOp!)!;
    op.state = 'completed';
    op.outcome = outcome;
    if (outcome.status === STATUS_SUCCESS) g.phase = 'live';
    else {
      this.gpadls.delete(g.handle);
      this.dead.add(g.handle);
    }
    this.count(`pending create:${formatStatus(outcome.status)}`);
  }

  /** RELID_RELEASED: whatever GPADLs the rescinded channel still had are gone. */
  private releaseOffer(offer: number): void {
    const o = this.offers.get(offer)!;
    if (!o.rescinded || o.released) return;
    o.released = true;
    for (const g of [...this.gpadls.values()]) if (g.offer === offer) this.remove(g);
  }

  // ---- The host steered by the suite (capability hostControl) ------------------------------------

  /** The server endpoint's offered channel, or why a host call on this endpoint must fail. */
  private offerOf(end: OEnd | null): { offer: number } | { expected: NtStatus | 'another failure'; why: string } {
    if (end === null || end.freed) return { expected: STATUS_INVALID_HANDLE, why: 'endpoint not allocated (G7)' };
    if (end.role !== 'server') return { expected: 'another failure', why: 'a client endpoint (hostDirect schema)' };
    if (end.offer === null) return { expected: STATUS_INVALID_DEVICE_STATE, why: 'the endpoint offers no channel' };
    return { offer: end.offer };
  }

  private expectHostStatus(fn: string, actual: NtStatus, expected: NtStatus | 'another failure' | 'any failure', why: string): void {
    if (expected === 'another failure') this.expectFailure(fn, actual, why, STATUS_INVALID_DEVICE_STATE);
    else if (expected === 'any failure') this.expectFailure(fn, actual, why);
    else this.expectStatus(fn, actual, expected, why, `hostControl / ${fn}`);
  }

  private hostDirect(cmd: Extract<Cmd, { op: 'hostDirect' }>): StepOutcome {
    const { handle, end } = this.endpoint(cmd.ep);
    const directive = (cmd.directive === 'bogus' ? 'refuseEverything' : cmd.directive) as HostDirective;
    const status = this.call('hostDirect', () => this.vmbus.hostDirect!(handle, directive));
    const target = this.offerOf(end);
    // The order of the checks is not documented: a word that is no directive fails, with some code.
    if (cmd.directive === 'bogus') this.expectHostStatus('hostDirect', status, 'any failure', 'not a directive');
    else if ('expected' in target) this.expectHostStatus('hostDirect', status, target.expected, target.why);
    else this.expectHostStatus('hostDirect', status, STATUS_SUCCESS, `offer ${target.offer} is offered`);
    if (status !== STATUS_SUCCESS) return { text: `${formatStatus(status)} (${cmd.directive === 'bogus' ? 'not a directive' : (target as { why: string }).why})`, violations: [] };
    const queue = this.offers.get((target as { offer: number }).offer)!.directives;
    queue.push(directive);
    this.count(`hostDirect:${directive}`);
    return { text: `STATUS_SUCCESS: offer ${(target as { offer: number }).offer} directives [${queue.join(', ')}]`, violations: [] };
  }

  private hostAnswer(ref: EpRef): StepOutcome {
    const { handle, end } = this.endpoint(ref);
    const target = this.offerOf(end);
    // What the host holds back on this offer: pending creates and opens, in the order they were sent.
    const held: Array<{ handle: GpadlHandle; create?: OGpadl; ring?: ORing }> = [];
    if ('offer' in target) {
      for (const g of this.gpadls.values()) if (g.offer === target.offer && g.phase === 'creating') held.push({ handle: g.handle, create: g });
      for (const ring of this.pendingRings.values()) if (ring.offer === target.offer) held.push({ handle: ring.handle, ring });
      held.sort((a, b) => a.handle - b.handle);
    }
    const status = this.call('hostAnswerDeferred', () => this.vmbus.hostAnswerDeferred!(handle));
    if ('expected' in target) this.expectHostStatus('hostAnswerDeferred', status, target.expected, target.why);
    else if (held.length === 0) this.expectHostStatus('hostAnswerDeferred', status, STATUS_INVALID_DEVICE_STATE, `offer ${target.offer}: the host held nothing back`);
    else this.expectHostStatus('hostAnswerDeferred', status, STATUS_SUCCESS, `offer ${target.offer}: the host held back ${held.map((x) => hex(x.handle)).join(', ')}`);
    if (status !== STATUS_SUCCESS) return { text: `${formatStatus(status)} (${'why' in target ? target.why : 'nothing held back'})`, violations: [] };
    const done: string[] = [];
    for (const item of held) {
      if (item.create !== undefined) {
        this.settleCreate(item.create, { status: STATUS_SUCCESS, gpadl: item.handle });
        done.push(`create of ${hex(item.handle)} completes`);
        continue;
      }
      const ring = item.ring!;
      this.pendingRings.delete(ring.handle);
      const pair = this.pairs[ring.pair]!;
      if (ring.abandoned || pair.client.freed || pair.client.state !== 'Enabled') {
        // The client was disabled while the ring waited: it no longer wants the open.
        this.dead.add(ring.handle);
        this.count('open:ring GPADL answered after the client gave up');
        done.push(`ring GPADL ${hex(ring.handle)} torn down (client disabled meanwhile)`);
      } else {
        this.count('open:ring GPADL answered late');
        done.push(`ring GPADL ${hex(ring.handle)} answered${this.openWithRing(pair, ring.offer, ring.handle)}`);
      }
    }
    return { text: `STATUS_SUCCESS: ${done.join('; ')}`, violations: [] };
  }

  private createOutcome(ref: OpRef): StepOutcome {
    const all = [...this.ops.keys()];
    const creates = [...this.ops].filter(([, o]) => o.kind === 'create').map(([id]) => id);
    const list = ref.k === 'create' && creates.length > 0 ? creates : all;
    const op = ref.k === 'unknown' || list.length === 0 ? UNKNOWN_OPERATION : list[list.length - 1 - (ref.i % list.length)]!;
    const known = this.ops.get(op);
    if (known?.kind === 'create') {
      const result = this.expectOutcome(op, known);
      return { text: `${formatStatus(result.status)} (create ${known.state})`, violations: [] };
    }
    const result = this.call('createOutcome', () => this.vmbus.createOutcome!(op));
    if (known === undefined && this.vmbus.operationState(op) !== 'unknown') this.fail('operations', `operationState(${op}) of an operation never started is ${this.vmbus.operationState(op)}, expected unknown`);
    this.expectStatus('createOutcome', result.status, STATUS_INVALID_PARAMETER, `operation ${op} was ${known === undefined ? 'never started' : 'a delete'}, no pending create (createOutcome schema)`, 'hostControl / createOutcome');
    if (result.gpadl !== undefined) this.fail('invariant 7 (no out-parameter on failure)', `createOutcome(${op}) returned gpadl ${hex(result.gpadl)}`);
    return { text: `${formatStatus(result.status)} (${known === undefined ? 'unknown operation' : 'operation of a delete'})`, violations: [] };
  }

  /** createOutcome: STATUS_PENDING while the create waits, then exactly what it returned (G29). */
  private expectOutcome(op: OperationId, known: OOp): CreateGpadlResult {
    const result = this.call('createOutcome', () => this.vmbus.createOutcome!(op));
    const expected = known.outcome!;
    const show = (r: { status: NtStatus; gpadl?: GpadlHandle }): string => `${formatStatus(r.status)}${r.gpadl === undefined ? '' : ` gpadl=${hex(r.gpadl)}`}`;
    if (result.status !== expected.status || result.gpadl !== expected.gpadl) {
      const why = known.state === 'pending' ? 'the host still holds GPADL_CREATED back' : expected.status === STATUS_SUCCESS ? 'the host answered' : 'the channel was rescinded while it waited';
      this.fail('G29 (createOutcome)', `createOutcome(${op}) of the create that sent ${hex(known.gpadl)} returned ${show(result)}, expected ${show(expected)} (${why})`);
    }
    return result;
  }

  private cleanup(ref: EpRef) {
    const { handle, end } = this.endpoint(ref);
    const violations: ViolationKind[] = [];
    let text: string;
    if (end === null || end.freed) {
      violations.push('InvalidEndpointHandle');
      text = 'violation (endpoint)';
    } else if (end.state !== 'Disabled') {
      violations.push('CleanupOfEnabledChannel');
      text = `violation (${end.state}, G7)`;
    } else if (end.role === 'server') {
      end.freed = true;
      for (const h of [...end.mappings.keys()]) {
        violations.push('MappingLeakedAtCleanup');
        this.release(end, h);
      }
      text = `freed (${violations.length} mapping(s) released)`;
    } else {
      end.freed = true;
      for (const g of [...this.gpadls.values()]) {
        if (g.owner !== end || g.phase !== 'live') continue;
        violations.push('GpadlLeakedAtCleanup');
        if (this.offers.get(g.offer)!.rescinded || this.mappedBy(g) === undefined) this.remove(g);
        else g.phase = 'deleting';
      }
      for (const offer of end.opened) this.releaseOffer(offer);
      text = `freed (${violations.length} GPADL(s) torn down)`;
    }
    this.call('cleanupChannel', () => this.vmbus.cleanupChannel(handle));
    return { text, violations };
  }

  // ---- Invariants after every step ---------------------------------------------------------------

  private checkViolations(expected: readonly ViolationKind[]): void {
    const all = this.vmbus.violations();
    const fresh = all.slice(this.violationsSeen).map((v) => v.kind);
    this.violationsSeen = all.length;
    const a = [...fresh].sort().join(', ');
    const b = [...expected].sort().join(', ');
    if (a !== b) this.fail('violations (README G1, G3, G5, G7)', `recorded [${a}], expected [${b}]`);
  }

  checkInvariants(): void {
    // Invariant 5 (locks): a buffer is locked while a live or pending-delete GPADL describes it, and
    // unlocked once none does ('strict') or once none was created over it ('source').
    for (const [index, buffer] of this.buffers.entries()) {
      const result = this.vmbus.describeBuffer(buffer.handle);
      const d = result.description;
      if (d === undefined) this.fail('describeBuffer', `buf${index} unknown: ${formatStatus(result.status)}`);
      if (d.byteOffset !== buffer.byteOffset || d.byteCount !== buffer.byteCount || !sameNumbers(d.pfns, buffer.pfns)) this.fail('buffers', `buf${index} description changed`);
      const describing = [...this.gpadls.values()].filter((g) => g.described.has(index));
      const over = [...this.gpadls.values()].filter((g) => g.sources.has(index));
      const list = (gs: OGpadl[]): string => `[${gs.map((g) => `${hex(g.handle)} ${g.phase}`).join(', ')}]`;
      if (!d.locked && describing.length > 0) this.fail('invariant 5 (buffer locked while described)', `buf${index} is not locked, but ${list(describing)} describe it`);
      if (d.locked && (this.strictLocks ? describing : over).length === 0) {
        this.fail(
          `invariant 5 (buffer unlocked when no GPADL ${this.strictLocks ? 'describes' : 'was created over'} it)`,
          `buf${index} is locked, but no live or pending-delete GPADL describes it (GPADLs created over it: ${list(over)})`,
        );
      }
    }
    // Invariant 4: an MDL (mapped or built) describes exactly its pages; a mapped one, its GPADL's.
    for (const mdl of this.mdls) {
      if (mdl.released) continue;
      const result = this.vmbus.describeMdl(mdl.handle);
      if (result.chain === undefined) this.fail('invariant 4 (MDL matches GPADL)', `describeMdl(${hex(mdl.handle)}) failed: ${formatStatus(result.status)}`);
      const expected = mdl.segs.map((seg) => this.expectedMdl(seg));
      const actual = result.chain.map((m) => ({ byteOffset: m.byteOffset, byteCount: m.byteCount, pfns: [...m.pfns] }));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        const of = mdl.mappedFrom === null ? 'built MDL' : `MDL of GPADL ${hex(mdl.mappedFrom)}`;
        this.fail('invariant 4 (MDL matches GPADL)', `${of} ${hex(mdl.handle)}:\n  actual   ${JSON.stringify(actual)}\n  expected ${JSON.stringify(expected)}`);
      }
      if (result.chain.some((m) => m.systemVa !== mdl.sysVa)) this.fail('invariant 4 (MDL system VA)', `${hex(mdl.handle)} systemVa should be ${mdl.sysVa}`);
    }
    // Invariant 5 (operations): a delete is pending until the unmap, completed after; a create that
    // returned STATUS_PENDING until the host answers or the channel is rescinded (G29), and
    // createOutcome says STATUS_PENDING until then, and what it returned after.
    for (const [op, known] of this.ops) {
      const { state, gpadl, kind } = known;
      const actual = this.vmbus.operationState(op);
      if (actual !== state) {
        if (kind === 'delete') this.fail('invariant 5 (delete pending until unmap)', `delete of ${hex(gpadl)} (operation ${op}) is ${actual}, expected ${state}`);
        this.fail('G29 (create pending until the host answers)', `create that sent ${hex(gpadl)} (operation ${op}) is ${actual}, expected ${state}`);
      }
      if (kind === 'create') this.expectOutcome(op, known);
    }
    // Endpoint states (header state model, G7).
    for (const pair of this.pairs) {
      for (const end of [pair.server, pair.client] as OEnd[]) {
        const info = this.vmbus.endpointInfo(end.handle);
        const name = `${end.role === 'client' ? 'C' : 'S'}${end.pair}`;
        if (end.freed) {
          if (info.status !== STATUS_INVALID_HANDLE) this.fail('endpoints', `${name} was cleaned up but endpointInfo returned ${formatStatus(info.status)}`);
          continue;
        }
        if (info.info?.state !== end.state) this.fail('endpoints', `${name} is ${info.info?.state ?? formatStatus(info.status)}, expected ${end.state}`);
        if (end.role === 'client' && info.info.ringGpadl !== end.ring) this.fail('endpoints', `${name} ring GPADL ${String(info.info.ringGpadl)}, expected ${String(end.ring)}`);
      }
    }
  }

  /** What MmGetMdlByteOffset / ByteCount / PfnArray must say for `len` bytes at `off` of a buffer. */
  private expectedMdl(seg: Seg): { byteOffset: number; byteCount: number; pfns: number[] } {
    const buffer = this.buffers[seg.buf]!;
    const start = buffer.byteOffset + seg.off;
    const first = Math.floor(start / PAGE_SIZE);
    const byteOffset = start % PAGE_SIZE;
    return { byteOffset, byteCount: seg.len, pfns: buffer.pfns.slice(first, first + pagesSpanned(byteOffset, seg.len)) };
  }

  private shadowOf(segs: readonly Seg[], off: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (const piece of pieces(segs, off, len)) out.set(this.buffers[piece.buf]!.shadow.subarray(piece.at, piece.at + piece.n), piece.done);
    return out;
  }

  private expectBytes(what: string, actual: Uint8Array, expected: Uint8Array): void {
    if (actual.length !== expected.length) this.fail(what, `length ${actual.length}, expected ${expected.length}`);
    for (let i = 0; i < actual.length; i++) {
      if (actual[i] !== expected[i]) this.fail(what, `byte ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }

  // ---- With the trace on -------------------------------------------------------------------------

  /**
   * Calls and returns pair up; a create that fails sends no message (G2, G9, G15); a create that
   * succeeds returns only after GPADL_HEADER and GPADL_CREATED(success) for the handle it returns
   * (rule A.4); a delete that completes later has no return, and is marked by a `completed` event.
   */
  private checkTrace(cmd: Cmd, outcome: StepOutcome, pendingBefore: readonly OperationId[]): void {
    const events = this.vmbus.trace();
    const slice = events.slice(this.traceSeen);
    this.traceSeen = events.length;
    let open: string | null = null;
    for (const event of slice) {
      if (event.kind === 'call') {
        if (open !== null) this.fail('trace', `call of ${event.fn} inside ${open}`);
        open = event.fn;
      } else if (event.kind === 'return') {
        if (open !== event.fn) this.fail('trace', `return of ${event.fn} without its call (open: ${String(open)})`);
        open = null;
      }
    }
    // A delete that answered `pending` has not returned: its later `completed` event is its return.
    const pendingDelete = cmd.op === 'delete' && this.ops.get(this.lastOperation!)?.state === 'pending';
    // A create that answered STATUS_PENDING has not returned either (G29).
    const isCreate = cmd.op === 'createBuf' || cmd.op === 'createMdl';
    const pendingCreate = isCreate && outcome.status === STATUS_PENDING;
    if (open !== null && !(pendingDelete && open === 'VmbChannelDeleteGpadl') && !(pendingCreate && open.startsWith('VmbChannelCreateGpadl'))) this.fail('trace', `${open} never returned`);
    if (pendingDelete && open === null) this.fail('trace', 'a delete that is still pending has a return event');
    if (pendingCreate && open === null) this.fail('trace (G29)', 'a create that returned STATUS_PENDING has a return event');
    if (isCreate && outcome.status !== undefined) {
      const messages = slice.filter((e): e is Extract<TraceEvent, { kind: 'message' }> => e.kind === 'message');
      if (outcome.sent === undefined) {
        if (messages.length > 0) this.fail('trace (G2/G9/G15)', `a create refused before any message sent ${messages.map((m) => m.message.type).join(', ')}`);
      } else {
        const h = outcome.sent;
        const at = (i: number): number => (i < 0 ? -1 : slice.indexOf(messages[i]!));
        const header = at(messages.findIndex((m) => m.message.type === 'GPADL_HEADER' && m.message.gpadl === h));
        const created = messages.findIndex((m) => m.message.type === 'GPADL_CREATED' && m.message.gpadl === h);
        const createdAt = at(created);
        const answer = created < 0 ? undefined : (messages[created]!.message as { creationStatus: number }).creationStatus;
        const returned = slice.findIndex((e) => e.kind === 'return');
        if (header < 0) this.fail('trace (G14)', `create returned ${formatStatus(outcome.status)} but sent no GPADL_HEADER for ${hex(h)}`);
        if (outcome.status === STATUS_PENDING) {
          if (created >= 0) this.fail('trace (G29)', `create returned STATUS_PENDING although GPADL_CREATED for ${hex(h)} came`);
        } else {
          const success = outcome.status === STATUS_SUCCESS;
          if (created < 0 || createdAt < header || createdAt > returned || (answer === 0) !== success) {
            this.fail(success ? 'trace (rule A.4)' : 'trace (G29)', `create returned ${formatStatus(outcome.status)} for ${hex(h)} without GPADL_HEADER then GPADL_CREATED(${success ? 'success' : 'failure'}) before the return`);
          }
        }
      }
    }
    for (const op of pendingBefore) {
      if (this.ops.get(op)!.state !== 'completed') continue;
      if (!slice.some((e) => e.kind === 'completed' && e.operation === op)) this.fail('trace', `operation ${op} completed without a 'completed' event`);
    }
  }
}

// ---- Helpers ----------------------------------------------------------------------------------

export function resolveCount(count: Count, size: number): number {
  switch (count.k) {
    case 'zero':
      return 0;
    case 'all':
      return size;
    case 'within':
      return size === 0 ? 0 : 1 + (count.n % size);
    case 'beyond':
      return size + 1 + count.n;
  }
}

/** The segments that `length` bytes from `start` of a chain of segments cover (choice G11). */
function sliceSegs(segs: readonly Seg[], start: number, length: number): Seg[] {
  const out: Seg[] = [];
  for (const piece of pieces(segs, start, length)) out.push({ buf: piece.buf, off: piece.at, len: piece.n });
  return out;
}

/** Walks `len` bytes from stream offset `off` of a chain: buffer, offset in it, bytes, bytes before. */
function pieces(segs: readonly Seg[], off: number, len: number): Array<{ buf: number; at: number; n: number; done: number }> {
  const out: Array<{ buf: number; at: number; n: number; done: number }> = [];
  let skip = off;
  let done = 0;
  for (const seg of segs) {
    if (done === len) break;
    if (skip >= seg.len) {
      skip -= seg.len;
      continue;
    }
    const n = Math.min(seg.len - skip, len - done);
    out.push({ buf: seg.buf, at: seg.off + skip, n, done });
    done += n;
    skip = 0;
  }
  return out;
}

function pattern(length: number, seed: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (seed * 7 + i * 31 + 1) & 0xff;
  return data;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

