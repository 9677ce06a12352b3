/**
 * One side of a differential run: an implementation, the handles it returned under the names the
 * run gave them, and what it showed after every step, as the texts of ./observe.ts.
 *
 * After every call a side looks, in this order, at: the call's result; the MDL a map returned
 * (and again after the system-VA step); the state of every operation started (a create that
 * completed names its GPADL from then on); after the calls that may change them, the state of every
 * endpoint and which buffers are locked; the violations recorded since the call; the channel
 * messages on the wire since the call. A thrown error or a rejected promise
 * is shown as such: the contract says misuse never throws, so it is a finding whatever the other
 * side did.
 */
import { formatStatus, hex, ntSuccess, STATUS_PENDING, type BufferHandle, type EndpointHandle, type GpadlHandle, type MdlHandle, type NtStatus, type OperationId } from '../contract/index.js';
import { gpadlFlags } from '../contract/flags.js';
import { bufferHandle, channelId, endpointHandle, gpadlHandle, mdlHandle, type ChannelId } from '../contract/handles.js';
import type { BufferDescription, CreateGpadlResult, EndpointInfo, EndpointState, HostDirective, OperationState, Role, VmbusImplementation, WithStatus } from '../contract/Implementation.js';
import type { ContractViolation } from '../contract/violations.js';
import type { TraceEvent } from '../contract/trace.js';
import { decodeMessage } from '../protocol/codec.js';
import { BOGUS_ENDPOINT, bufferName, channelName, gpadlKey, ringKey, UNKNOWN_BUFFER, UNKNOWN_GPADL, UNKNOWN_MDL, type Call, type EndpointRef, type GpadlRef, type MdlRef } from './calls.js';
import type { BufferShape } from './commands.js';
import { FreshViolations } from './freshViolations.js';
import { showBytes, showMdl, showMessage, showStatus, showViolation, showViolations, showWire, type Names, type Strictness } from './observe.js';
import { WireEncoder, wireChannelName } from './wire.js';

/** A channel id no host offers in a run of this size: what a message names for a wire channel never offered. */
const UNOFFERED_CHANNEL = 0xdead;

/** The calls after which every endpoint's state and every buffer's lock are looked at (as after a completion). */
const CHANGES_ENDPOINTS_OR_LOCKS: ReadonlySet<Call['fn']> = new Set(['enable', 'disable', 'cleanup', 'ringPages', 'hostAnswer', 'createFromBuffer', 'createFromMdl', 'delete', 'migrationFinish']);

export type Aspect = 'set-up' | 'result' | 'mdl' | 'operations' | 'endpoints' | 'locks' | 'violations' | 'wire' | 'threw';
export interface Observation {
  readonly aspect: Aspect;
  readonly text: string;
  /** For 'mdl': the mapping it describes ("G1", "ring of ch1"). */
  readonly subject?: string;
}

/** What the run needs to know besides the texts, to keep the driver's knowledge (./plan.ts). */
export interface StepFacts {
  status?: NtStatus;
  returnedHandle?: boolean;
  deleteState?: 'pending' | 'completed';
  chainBytes?: number;
  /** Operations seen completed in this step: deletes by GPADL name, creates with whether they returned a handle. */
  readonly completed: Array<{ readonly kind: 'delete' | 'create'; readonly gpadl: string; readonly handle: boolean }>;
}

interface Operation {
  readonly label: string;
  readonly id: OperationId;
  readonly kind: 'delete' | 'create';
  readonly gpadl: string;
  state: 'pending' | 'completed';
  outcome: string;
}

export interface SideCapabilities {
  readonly trace: boolean;
  readonly violations: boolean;
}

/** The looks asked after a call (./side.ts `after`), before any answer is shown. */
interface AskedLooks {
  /** The operations pending when the looks were asked, and their states. */
  readonly pending: readonly Operation[];
  readonly states: ReadonlyArray<OperationState | 'unknown'>;
  readonly refreshed: EndpointsAndLocks | undefined;
  readonly violations: readonly ContractViolation[] | undefined;
  /** The whole trace, and where the events since the last look start in it. */
  readonly wire: { readonly events: readonly TraceEvent[]; readonly from: number } | undefined;
}
interface EndpointsAndLocks {
  readonly endpoints: ReadonlyArray<WithStatus<{ info: EndpointInfo }>>;
  readonly buffers: ReadonlyArray<WithStatus<{ description: BufferDescription }>>;
}

export class Side implements Names {
  private readonly endpoints = new Map<string, EndpointHandle>();
  private readonly buffers = new Map<string, BufferHandle>();
  private readonly pages = new Map<number, string>();
  private readonly gpadlNames = new Map<string, GpadlHandle>();
  private readonly rings = new Map<string, GpadlHandle>();
  private readonly channelIds = new Map<number, string>();
  private readonly built = new Map<string, MdlHandle>();
  private readonly mappings = new Map<string, MdlHandle>();
  private readonly operations: Operation[] = [];
  /** The channels the host offered on the wire, "w1" first, by their child_relid. */
  private readonly wireChannels: ChannelId[] = [];
  private readonly wire = new WireEncoder((name) => this.wireChannel(name));
  readonly states: Array<Record<Role, EndpointState | 'freed'>> = [];
  private traceSeen = 0;
  private readonly violationsSeen = new FreshViolations();
  /** Changes whenever a GPADL handle's name may read differently: what a violation's text is made of. */
  private gpadlNamesVersion = 0;
  /** The operations' text as last shown; undefined once an operation started or completed since. */
  private operationsShown: string | undefined;

  /**
   * @param inOrder the implementation runs each request to its end before the next, in the order
   * asked (one served over stdio; one in process that answers at once): a step's looks are then
   * asked with its call, not after its answer, so over stdio they travel in the call's write.
   */
  constructor(
    readonly impl: VmbusImplementation,
    private readonly strictness: Strictness,
    private readonly caps: SideCapabilities,
    private readonly channels: number,
    private readonly inOrder = false,
  ) {}

  ringChannels(): Iterable<string> {
    return this.rings.keys();
  }

  // ---- Names ---------------------------------------------------------------------------------

  gpadl(handle: number): string | undefined {
    for (const [name, h] of this.gpadlNames) if (h === handle) return name;
    for (const [channel, h] of this.rings) if (h === handle) return ringKey(channel);
    return undefined;
  }
  channel(id: number): string | undefined {
    const wire = this.wireChannels.indexOf(id as ChannelId);
    return this.channelIds.get(id) ?? (wire === -1 ? undefined : wireChannelName(wire));
  }
  page(pfn: number): string | undefined {
    return this.pages.get(pfn);
  }

  /**
   * The channels and buffers that the printed Given step makes, in its order: each channel offered
   * and opened (with `unopened`, the second channel's client allocated but never enabled), then the
   * buffers.
   */
  async setUp(buffers: readonly BufferShape[], unopened = false): Promise<Observation[]> {
    const statuses: string[] = [];
    for (let pair = 0; pair < this.channels; pair++) {
      const channel = channelName(pair);
      const server = await this.impl.allocateChannel({ role: 'server' });
      statuses.push(this.status(server.status));
      if (server.endpoint === undefined) continue;
      this.endpoints.set(`${channel}/server`, server.endpoint);
      statuses.push(this.status(await this.impl.enableChannel(server.endpoint)));
      const client = await this.impl.allocateChannel({ role: 'client', server: server.endpoint });
      statuses.push(this.status(client.status));
      if (client.endpoint === undefined) continue;
      this.endpoints.set(`${channel}/client`, client.endpoint);
      if (!(unopened && pair === 1)) statuses.push(this.status(await this.impl.enableChannel(client.endpoint)));
    }
    let early: Promise<AskedLooks> | undefined;
    if (this.inOrder) {
      // Allocated together, then described together with the look after the set-up: the same
      // requests in the same order but for the descriptions (reads), in two writes, not 2n + 1.
      const allocated = await Promise.all(buffers.map((shape) => this.impl.allocateBuffer(shape)));
      allocated.forEach((a, i) => {
        statuses.push(this.status(a.status));
        if (a.buffer !== undefined) this.buffers.set(bufferName(i), a.buffer);
      });
      const described = Promise.all(allocated.map((a) => (a.buffer === undefined ? undefined : this.impl.describeBuffer(a.buffer))));
      early = this.askLooks(true);
      early.catch(() => undefined);
      (await described).forEach((d, i) => d?.description?.pfns.forEach((pfn, page) => this.pages.set(pfn, `${bufferName(i)}.${page}`)));
    } else {
      for (const [i, shape] of buffers.entries()) {
        const allocated = await this.impl.allocateBuffer(shape);
        statuses.push(this.status(allocated.status));
        if (allocated.buffer === undefined) continue;
        this.buffers.set(bufferName(i), allocated.buffer);
        const described = await this.impl.describeBuffer(allocated.buffer);
        described.description?.pfns.forEach((pfn, page) => this.pages.set(pfn, `${bufferName(i)}.${page}`));
      }
    }
    const observations: Observation[] = [{ aspect: 'set-up', text: statuses.join(', ') }];
    observations.push(...(await this.after(true, { completed: [] }, early)));
    return observations;
  }

  // ---- One step ------------------------------------------------------------------------------

  async step(call: Call): Promise<{ observations: Observation[]; facts: StepFacts }> {
    const facts: StepFacts = { completed: [] };
    const observations: Observation[] = [];
    const refresh = CHANGES_ENDPOINTS_OR_LOCKS.has(call.fn);
    let result: string;
    let early: Promise<AskedLooks> | undefined;
    try {
      // The call's first request leaves before `call` first awaits, so looks asked now come after it.
      const calling = this.call(call, facts, observations);
      if (this.inOrder) {
        early = this.askLooks(refresh);
        // Handled now, so a look that fails while the call is out is not an unhandled rejection; `after` sees it fail.
        early.catch(() => undefined);
      }
      result = await calling;
    } catch (error) {
      // What the looks asked with a call that threw would show is not shown, as none is asked without.
      return { observations: [{ aspect: 'threw', text: `${call.fn} threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` }], facts };
    }
    observations.unshift({ aspect: 'result', text: result });
    observations.push(...(await this.after(refresh, facts, early)));
    return { observations, facts };
  }

  private status(status: NtStatus): string {
    return showStatus(status, this.strictness);
  }

  // A name this side never bound (its create failed where the reference's succeeded, which the run
  // has already shown) stands for a handle no call returned, as misuse would pass.
  private endpoint(ref: EndpointRef): EndpointHandle {
    return 'handle' in ref ? endpointHandle(ref.handle) : (this.endpoints.get(`${ref.channel}/${ref.role}`) ?? endpointHandle(BOGUS_ENDPOINT));
  }
  private gpadlOf(ref: GpadlRef): GpadlHandle {
    if ('handle' in ref) return gpadlHandle(ref.handle);
    if ('ring' in ref) return this.rings.get(ref.ring) ?? gpadlHandle(UNKNOWN_GPADL);
    return this.gpadlNames.get(ref.name) ?? gpadlHandle(UNKNOWN_GPADL);
  }
  private mdlOf(ref: MdlRef): MdlHandle {
    if ('handle' in ref) return mdlHandle(ref.handle);
    if ('built' in ref) return this.built.get(ref.built) ?? mdlHandle(UNKNOWN_MDL);
    return this.mappings.get(ref.mappingOf) ?? mdlHandle(UNKNOWN_MDL);
  }
  private buffer(name: string): BufferHandle {
    return this.buffers.get(name) ?? bufferHandle(UNKNOWN_BUFFER);
  }
  private static key(ref: GpadlRef): string {
    return 'handle' in ref ? hex(ref.handle) : gpadlKey(ref)!;
  }

  /** Makes the call; returns its result as text, noting facts and the MDL of a map. */
  private async call(call: Call, facts: StepFacts, observations: Observation[]): Promise<string> {
    const impl = this.impl;
    switch (call.fn) {
      case 'createFromBuffer':
      case 'createFromMdl': {
        const result =
          call.fn === 'createFromBuffer'
            ? await impl.createGpadlFromBuffer(this.endpoint(call.ep), gpadlFlags(call.flags), this.buffer(call.buffer), call.byteCount)
            : await impl.createGpadlFromMdl(this.endpoint(call.ep), gpadlFlags(call.flags), this.mdlOf(call.mdl), call.start, call.length);
        facts.status = result.status;
        facts.returnedHandle = result.gpadl !== undefined;
        const handle = this.describeHandle(result.gpadl);
        if (result.status === STATUS_PENDING && result.operation !== undefined) {
          this.startOperation({ label: `create of ${call.name}`, id: result.operation, kind: 'create', gpadl: call.name, state: 'pending', outcome: 'pending' });
        }
        if (ntSuccess(result.status) && result.gpadl !== undefined) this.nameGpadl(call.name, result.gpadl);
        return `${this.status(result.status)}${handle}`;
      }
      case 'buildMdl': {
        const result = await impl.buildMdl(call.parts.map((p) => ({ buffer: this.buffer(p.buffer), byteOffset: p.byteOffset, byteCount: p.byteCount })));
        facts.status = result.status;
        if (result.mdl !== undefined) this.built.set(call.name, result.mdl);
        return `${this.status(result.status)}${result.mdl === undefined ? '' : ', an MDL'}`;
      }
      case 'delete': {
        const started = await impl.deleteGpadl(this.endpoint(call.ep), this.gpadlOf(call.gpadl));
        const key = Side.key(call.gpadl);
        const earlier = this.operations.filter((o) => o.kind === 'delete' && o.gpadl === key).length;
        this.startOperation({ label: `delete${earlier === 0 ? '' : ` #${earlier + 1}`} of ${key}`, id: started.operation, kind: 'delete', gpadl: key, state: 'pending', outcome: 'pending' });
        facts.deleteState = started.state;
        return `the delete is ${started.state}`;
      }
      case 'map': {
        const result = await impl.mapGpadl(this.endpoint(call.ep), gpadlFlags(call.flags), this.gpadlOf(call.gpadl));
        facts.status = result.status;
        if (ntSuccess(result.status) && result.mdl !== undefined) {
          const key = Side.key(call.gpadl);
          this.mappings.set(key, result.mdl);
          const chain = await impl.describeMdl(result.mdl);
          facts.chainBytes = chain.chain?.reduce((sum, mdl) => sum + mdl.byteCount, 0) ?? 0;
          observations.push({ aspect: 'mdl', subject: key, text: chain.chain === undefined ? `not described: ${formatStatus(chain.status)}` : showMdl(chain.chain, this) });
        }
        return `${this.status(result.status)}${result.mdl === undefined ? '' : ', an MDL'}`;
      }
      case 'unmap':
        await impl.unmapGpadl(this.endpoint(call.ep), this.gpadlOf(call.gpadl));
        return 'returned';
      case 'systemVa': {
        const status = await impl.mapMdlToSystemVa(this.mdlOf(call.mdl));
        facts.status = status;
        if (ntSuccess(status) && 'mappingOf' in call.mdl) {
          const chain = await impl.describeMdl(this.mdlOf(call.mdl));
          if (chain.chain !== undefined) observations.push({ aspect: 'mdl', subject: call.mdl.mappingOf, text: showMdl(chain.chain, this) });
        }
        return this.status(status);
      }
      case 'writeMdl':
        return this.status((facts.status = await impl.writeMdl(this.mdlOf(call.mdl), call.offset, new Uint8Array(call.length).fill(call.byte))));
      case 'writeBuffer':
        return this.status((facts.status = await impl.writeBuffer(this.buffer(call.buffer), call.offset, new Uint8Array(call.length).fill(call.byte))));
      case 'readMdl':
      case 'readBuffer':
      case 'readSnapshot': {
        const result =
          call.fn === 'readMdl'
            ? await impl.readMdl(this.mdlOf(call.mdl), call.offset, call.length)
            : call.fn === 'readBuffer'
              ? await impl.readBuffer(this.buffer(call.buffer), call.offset, call.length)
              : await impl.readSnapshot!(this.buffer(call.buffer), call.offset, call.length);
        facts.status = result.status;
        return `${this.status(result.status)}${result.data === undefined ? '' : `: ${showBytes(result.data)}`}`;
      }
      case 'enable':
        return this.status((facts.status = await impl.enableChannel(this.endpoint(call.ep))));
      case 'disable':
        await impl.disableChannel(this.endpoint(call.ep));
        return 'returned';
      case 'cleanup':
        await impl.cleanupChannel(this.endpoint(call.ep));
        return 'returned';
      case 'ringPages':
        return this.status((facts.status = await impl.setRingBufferPageCount(this.endpoint(call.ep), call.incoming, call.outgoing)));
      case 'hostDirect':
        return this.status((facts.status = await impl.hostDirect!(this.endpoint({ channel: call.channel, role: 'server' }), call.directive as HostDirective)));
      case 'hostAnswer':
        return this.status((facts.status = await impl.hostAnswerDeferred!(this.endpoint({ channel: call.channel, role: 'server' }))));
      case 'migrationBegin':
        return this.status((facts.status = await impl.migrationBegin!()));
      case 'wireOffer': {
        const offered = await impl.hostOffer!();
        this.wireChannels.push(offered.channelId);
        return this.replies(offered.replies);
      }
      case 'wireSend':
        return this.replies((await impl.hostReceive!(this.wire.encode(call.message))).replies);
      case 'wireHold':
        return this.status((facts.status = await impl.hostHold!(this.wireChannel(call.channel), gpadlHandle(call.gpadl))));
      case 'wireRelease': {
        const released = await impl.hostRelease!(this.wireChannel(call.channel), gpadlHandle(call.gpadl));
        facts.status = released.status;
        return `${this.status(released.status)}; ${this.replies(released.replies)}`;
      }
      case 'wireRevoke':
        return this.replies((await impl.hostRevoke!(this.wireChannel(call.channel))).replies);
      case 'migrationFinish': {
        const result = await impl.migrationFinish!();
        facts.status = result.status;
        const r = result.report;
        const pages = (list: readonly number[]) => list.map((p) => this.page(p) ?? hex(p)).join(' ') || '(none)';
        return `${this.status(result.status)}${r === undefined ? '' : `: recopied for the guest ${pages(r.recopiedGuestDirty)}; for the server ${pages(r.recopiedServerWritable)}; missed ${pages(r.missed)}`}`;
      }
    }
  }

  private wireChannel(name: string): ChannelId {
    return this.wireChannels[Number(name.slice(1)) - 1] ?? channelId(UNOFFERED_CHANNEL);
  }

  /** The host's replies, each decoded and shown with this run's names, on one line. */
  private replies(replies: readonly Uint8Array[]): string {
    if (replies.length === 0) return 'no reply';
    return `replies ${replies
      .map((bytes) => {
        const decoded = decodeMessage(bytes);
        return decoded.ok ? showMessage('', decoded.message, this, this.strictness).trim() : `undecodable (${decoded.error.message})`;
      })
      .join(' | ')}`;
  }

  /** `, a GPADL handle`, or, for a handle an earlier call returned, `, the handle of G1`. */
  private describeHandle(handle: GpadlHandle | undefined): string {
    if (handle === undefined) return '';
    const earlier = this.gpadl(handle);
    return earlier === undefined ? ', a GPADL handle' : `, the handle of ${earlier}`;
  }

  // ---- After a step --------------------------------------------------------------------------

  private startOperation(operation: Operation): void {
    this.operations.push(operation);
    this.operationsShown = undefined;
  }

  /** Names a GPADL handle, noting whether any handle's name now reads differently. */
  private nameGpadl(name: string, handle: GpadlHandle): void {
    const earlier = this.gpadlNames.get(name);
    const before = [this.gpadl(handle), earlier === undefined ? undefined : this.gpadl(earlier)];
    this.gpadlNames.set(name, handle);
    if (this.gpadl(handle) !== before[0] || (earlier !== undefined && this.gpadl(earlier) !== before[1])) this.gpadlNamesVersion++;
  }

  /**
   * Looks after a call (or the set-up): the operations, then with `refresh` or after a completion
   * the endpoints and the locks, the violations and the wire since the last look.
   *
   * Every look that needs no other's answer is asked before any answer is awaited, in the order of
   * the sequence they stand for, so a transport can carry them together (over stdio, in flight
   * together); the answers are then shown in that order, so a name an answer gives (a create's
   * GPADL, a channel's ring) reads in the looks shown after it, as it would one look at a time.
   * Only a completed create's outcome, and the endpoints and locks after a completion, wait for the
   * operations' states. Looks change nothing, so asking them together shows what asking them one by
   * one would.
   */
  private async after(refresh: boolean, facts: StepFacts, early?: Promise<AskedLooks>): Promise<Observation[]> {
    const asked = await (early ?? this.askLooks(refresh));
    const { refreshed, violations, wire } = asked;
    // An operation the call started was not yet known when its looks were asked with it.
    const started = this.operations.filter((op) => op.state === 'pending' && !asked.pending.includes(op));
    const pending = [...asked.pending, ...started];
    const states = [...asked.states, ...(await Promise.all(started.map((op) => this.impl.operationState(op.id))))];
    const completed = pending.filter((_, i) => states[i] === 'completed');
    const outcomes = await Promise.all(completed.map((op) => (op.kind === 'create' ? this.impl.createOutcome!(op.id) : undefined)));
    const observations: Observation[] = [];
    const operations = this.showOperations(completed, outcomes, facts);
    if (operations !== undefined) observations.push({ aspect: 'operations', text: operations });
    const looks = refreshed ?? (completed.length > 0 ? await this.askEndpointsAndLocks() : undefined);
    if (looks !== undefined) {
      observations.push({ aspect: 'endpoints', text: this.showEndpoints(looks.endpoints) });
      observations.push({ aspect: 'locks', text: this.showLocks(looks.buffers) });
    }
    if (violations !== undefined) {
      const fresh = this.violationsSeen.fresh(violations, (violation) => showViolation(violation, this), this.gpadlNamesVersion);
      observations.push({ aspect: 'violations', text: showViolations(fresh, this.strictness) });
    }
    if (wire !== undefined) {
      observations.push({ aspect: 'wire', text: showWire(wire.events, this, this.strictness, wire.from).join('\n') || '(nothing)' });
      this.traceSeen = wire.events.length;
    }
    return observations;
  }

  /** Asks every look that needs no other's answer, in the order they are shown. */
  private async askLooks(refresh: boolean): Promise<AskedLooks> {
    const pending = this.operations.filter((op) => op.state === 'pending');
    const from = this.traceSeen;
    const [states, refreshed, violations, wire] = await Promise.all([
      Promise.all(pending.map((op) => this.impl.operationState(op.id))),
      refresh ? this.askEndpointsAndLocks() : undefined,
      this.caps.violations ? this.impl.violations() : undefined,
      this.caps.trace ? this.impl.trace().then((events) => ({ events, from })) : undefined,
    ]);
    return { pending, states, refreshed, violations, wire };
  }

  /** Every endpoint the set-up made, in the order shown: channel by channel, server first (made once the set-up has made them). */
  private endpointOrder: ReadonlyArray<{ readonly pair: number; readonly channel: string; readonly role: Role; readonly handle: EndpointHandle }> | undefined;
  private orderedEndpoints(): NonNullable<Side['endpointOrder']> {
    if (this.endpointOrder !== undefined) return this.endpointOrder;
    const order: Array<{ pair: number; channel: string; role: Role; handle: EndpointHandle }> = [];
    for (let pair = 0; pair < this.channels; pair++) {
      const channel = channelName(pair);
      for (const role of ['server', 'client'] as const) {
        const handle = this.endpoints.get(`${channel}/${role}`);
        if (handle !== undefined) order.push({ pair, channel, role, handle });
      }
    }
    return (this.endpointOrder = order);
  }

  private async askEndpointsAndLocks(): Promise<EndpointsAndLocks> {
    const [endpoints, buffers] = await Promise.all([
      Promise.all(this.orderedEndpoints().map((e) => this.impl.endpointInfo(e.handle))),
      Promise.all(Array.from(this.buffers.values(), (handle) => this.impl.describeBuffer(handle))),
    ]);
    return { endpoints, buffers };
  }

  /** Every endpoint's state as text ("ch1 server Opened, ch1 client Opened, ..."), learning the channels' ids and rings from them. */
  private showEndpoints(answers: ReadonlyArray<WithStatus<{ info: EndpointInfo }>>): string {
    const rings = new Map(this.rings);
    this.channelIds.clear();
    this.rings.clear();
    const shown: string[] = [];
    for (let pair = 0; pair < this.channels; pair++) this.states[pair] = { client: 'freed', server: 'freed' };
    this.orderedEndpoints().forEach(({ pair, channel, role }, i) => {
      const answer = answers[i]!;
      shown.push(`${channel} ${role} ${answer.info?.state ?? `gone (${this.status(answer.status)})`}`);
      if (answer.info === undefined) return;
      this.states[pair]![role] = answer.info.state;
      if (answer.info.channelId !== null && !this.channelIds.has(answer.info.channelId)) this.channelIds.set(answer.info.channelId, channel);
      if (role === 'client' && answer.info.ringGpadl !== null) this.rings.set(channel, answer.info.ringGpadl);
    });
    if (rings.size !== this.rings.size || [...rings].some(([channel, handle]) => this.rings.get(channel) !== handle)) this.gpadlNamesVersion++;
    return shown.join(', ');
  }

  /**
   * The state of every operation started, oldest first, given which of those pending completed
   * now (a create with its outcome); undefined before any started.
   */
  private showOperations(completed: readonly Operation[], outcomes: ReadonlyArray<CreateGpadlResult | undefined>, facts: StepFacts): string | undefined {
    if (this.operations.length === 0) return undefined;
    completed.forEach((op, i) => {
      op.state = 'completed';
      const outcome = outcomes[i];
      if (outcome !== undefined) {
        const handle = this.describeHandle(outcome.gpadl);
        if (ntSuccess(outcome.status) && outcome.gpadl !== undefined) this.nameGpadl(op.gpadl, outcome.gpadl);
        op.outcome = `completed, ${this.status(outcome.status)}${handle}`;
        facts.completed.push({ kind: 'create', gpadl: op.gpadl, handle: outcome.gpadl !== undefined });
      } else {
        op.outcome = 'completed';
        facts.completed.push({ kind: 'delete', gpadl: op.gpadl, handle: false });
      }
    });
    if (completed.length > 0) this.operationsShown = undefined;
    this.operationsShown ??= this.operations.map((op) => `${op.label}: ${op.outcome}`).join('\n');
    return this.operationsShown;
  }

  /** Which buffers are locked (a live GPADL describes them), in buffer order. */
  private showLocks(answers: ReadonlyArray<WithStatus<{ description: BufferDescription }>>): string {
    let i = 0;
    return Array.from(this.buffers.keys(), (name) => `${name} ${answers[i++]!.description?.locked === true ? 'locked' : 'unlocked'}`).join(', ');
  }
}
