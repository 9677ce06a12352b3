/**
 * Turns a generated command into a call, against what the driver knows so far: which channels are
 * in which state, which GPADLs are live, mapped or being deleted, which MDLs exist. The knowledge
 * is kept from the reference's answers (the two sides agree up to the step that differs, so it is
 * the implementation's too).
 *
 * Without misuse a command resolves only to what a correct driver may call (the module comment of
 * ./commands.ts); a command with no such target resolves to nothing and is skipped, and so drops
 * out of the printed scenario. With misuse every pick is taken among everything ever made.
 */
import type { EndpointState, Role } from '../contract/Implementation.js';
import { ntSuccess, STATUS_PENDING } from '../contract/NtStatus.js';
import type { StepFacts } from './side.js';
import { wireChannelName, wireGpadl } from './wire.js';
import { BOGUS_ENDPOINT, bufferName, channelName, gpadlKey, gpadlOfKey, pairOf, ringKey, UNKNOWN_GPADL, UNKNOWN_MDL, type Call, type EndpointRef, type GpadlRef, type MdlRef } from './calls.js';
import { PAIRS, type BufferShape, type Command, type Count, type EndpointPick, type GpadlPick, type MdlPick } from './commands.js';

export interface KnownGpadl {
  readonly name: string;
  readonly pair: number;
  readonly readOnly: boolean;
  /** pending: a create that returned STATUS_PENDING; gone: deleted, torn down, or its create failed. */
  phase: 'pending' | 'live' | 'deleting' | 'gone';
  /** A call returned its handle: misuse may name it ever after, deleted or not. */
  issued: boolean;
}
export interface KnownMapping {
  readonly gpadl: string;
  readonly byteCount: number;
  systemVa: boolean;
  current: boolean;
}

/** What the driver knows: the input of {@link plan}, updated by the run after every step. */
export class Knowledge {
  readonly states: Array<Record<Role, EndpointState | 'freed'>> = Array.from({ length: PAIRS }, () => ({ client: 'Opened', server: 'Opened' }));
  readonly gpadls: KnownGpadl[] = [];
  readonly built: Array<{ readonly name: string; readonly byteCount: number }> = [];
  readonly mappings = new Map<string, KnownMapping>();
  /** Channels whose client opened with a ring-buffer GPADL that still exists. */
  readonly rings = new Set<string>();
  migration: 'idle' | 'running' | 'finished' = 'idle';
  /** Channels the host offered on the wire (capability wireHost). */
  wireChannels = 0;
  private creates = 0;

  constructor(readonly buffers: readonly BufferShape[]) {}

  nextGpadlName(): string {
    return `G${++this.creates}`;
  }
  nextMdlName(): string {
    return `M${this.built.length + 1}`;
  }
  gpadl(name: string): KnownGpadl | undefined {
    return this.gpadls.find((g) => g.name === name);
  }
}

/** The most recent first: index 0 of a pick is the newest candidate. */
function pickFrom<T>(candidates: readonly T[], i: number): T | undefined {
  return candidates.length === 0 ? undefined : candidates[candidates.length - 1 - (i % candidates.length)];
}

function resolveCount(count: Count, size: number): number {
  switch (count.k) {
    case 'all':
      return size;
    case 'zero':
      return 0;
    case 'within':
      return size <= 0 ? 0 : 1 + ((count.n - 1) % size);
    case 'beyond':
      return size + count.n;
  }
}

/** The calls a command resolves to (none: it is skipped). */
export function plan(command: Command, known: Knowledge, misuse: boolean): readonly Call[] {
  if (command.op === 'reopen') {
    // An endpoint that is Disabled already (a client never opened) is only set up and enabled.
    const disabled = known.states[command.ep.pair]![command.ep.role] === 'Disabled';
    const close = disabled ? undefined : planOne({ op: 'disable', ep: command.ep }, known, misuse);
    if (!disabled && close === undefined) return [];
    const ep: EndpointRef = { channel: channelName(command.ep.pair), role: command.ep.role };
    const ring = command.ringPages !== undefined && command.ep.role === 'client' ? [{ fn: 'ringPages' as const, ep, incoming: command.ringPages[0], outgoing: command.ringPages[1] }] : [];
    return [...(close === undefined ? [] : [close]), ...ring, { fn: 'enable', ep }];
  }
  if (command.op === 'migrateAcrossMapping') {
    // The calls are planned at once: if the map fails, what follows fails too, on both sides alike.
    const begin = planOne({ op: 'migrationBegin' }, known, misuse);
    const map = planOne({ op: 'map', ep: { pair: 0, role: 'server' }, flags: command.flags, gpadl: command.gpadl }, known, misuse);
    if (begin === undefined || map === undefined || map.fn !== 'map') return [];
    const key = gpadlKey(map.gpadl);
    const through: Call[] = key === undefined || !command.write ? [] : [{ fn: 'systemVa', mdl: { mappingOf: key } }, { fn: 'writeMdl', mdl: { mappingOf: key }, offset: 0, length: 1, byte: 0x5a }];
    const unmap: Call[] = command.unmap ? [{ fn: 'unmap', ep: map.ep, gpadl: map.gpadl }] : [];
    return [begin, map, ...through, ...unmap, { fn: 'migrationFinish' }];
  }
  const call = planOne(command, known, misuse);
  return call === undefined ? [] : [call];
}

function planOne(command: Exclude<Command, { op: 'reopen' | 'migrateAcrossMapping' }>, known: Knowledge, misuse: boolean): Call | undefined {
  const buffer = (i: number) => ({ name: bufferName(i % known.buffers.length), shape: known.buffers[i % known.buffers.length]! });
  const endpoint = (pick: EndpointPick, ok: (state: EndpointState) => boolean): EndpointRef | undefined => {
    if (pick.bogus === true) return misuse ? { handle: BOGUS_ENDPOINT } : undefined;
    const state = known.states[pick.pair]![pick.role];
    if (!misuse && (state === 'freed' || !ok(state))) return undefined;
    return { channel: channelName(pick.pair), role: pick.role };
  };
  const gpadl = (pick: GpadlPick, pair: number | undefined, ok: (g: KnownGpadl) => boolean, rings = false): GpadlRef | undefined => {
    if (pick.k === 'zero') return misuse ? { handle: 0 } : undefined;
    if (pick.k === 'unknown') return misuse ? { handle: UNKNOWN_GPADL } : undefined;
    const named: GpadlRef[] = known.gpadls.filter((g) => (misuse ? g.issued : g.pair === pair && ok(g))).map((g) => ({ name: g.name }));
    const ringRefs: GpadlRef[] = [...known.rings].filter((ring) => misuse || (rings && ring === channelName(pair ?? -1))).map((ring) => ({ ring }));
    return pickFrom([...ringRefs, ...named], pick.i);
  };
  const mdl = (pick: MdlPick, kinds: ReadonlyArray<'built' | 'mapped'>, needVa = false): { ref: MdlRef; byteCount: number } | undefined => {
    if (pick.k === 'unknown') return misuse ? { ref: { handle: UNKNOWN_MDL }, byteCount: 0 } : undefined;
    const kind = misuse ? pick.k : kinds.includes(pick.k) ? pick.k : undefined;
    if (kind === 'built') {
      const b = pickFrom(known.built, pick.i);
      return b && { ref: { built: b.name }, byteCount: b.byteCount };
    }
    if (kind === 'mapped') {
      const mappings = [...known.mappings.values()].filter((m) => misuse || (m.current && (!needVa || m.systemVa)));
      const m = pickFrom(mappings, pick.i);
      return m && { ref: { mappingOf: m.gpadl }, byteCount: m.byteCount };
    }
    return undefined;
  };
  /** Without misuse, an access stays within what it reads or writes. */
  const span = (off: number, len: number, size: number): { offset: number; length: number } | undefined => {
    if (misuse) return { offset: off, length: len };
    if (size <= 0) return undefined;
    const offset = off % size;
    return { offset, length: Math.max(1, Math.min(len, size - offset)) };
  };

  switch (command.op) {
    case 'createFromBuffer': {
      const ep = endpoint(command.ep, (s) => s === 'Opened');
      const b = buffer(command.buf);
      const byteCount = resolveCount(command.count, b.shape.byteCount);
      return ep && { fn: 'createFromBuffer', ep, name: known.nextGpadlName(), buffer: b.name, byteCount, flags: command.flags };
    }
    case 'createFromMdl': {
      const ep = endpoint(command.ep, (s) => s === 'Opened');
      const m = mdl(command.mdl, ['built']);
      if (ep === undefined || m === undefined) return undefined;
      const start = command.start.k === 'zero' ? 0 : command.start.k === 'within' && !misuse ? (command.start.n % Math.max(1, m.byteCount)) : resolveCount(command.start, m.byteCount);
      const length = command.length.k === 'zero' ? 0 : resolveCount(command.length, Math.max(0, m.byteCount - start));
      if (!misuse && (start >= m.byteCount || length < 0)) return undefined;
      return { fn: 'createFromMdl', ep, name: known.nextGpadlName(), mdl: m.ref, start, length, flags: command.flags };
    }
    case 'buildMdl': {
      const parts = command.parts.map((p) => {
        const b = buffer(p.buf);
        const byteOffset = p.off % b.shape.byteCount;
        return { buffer: b.name, byteOffset, byteCount: resolveCount(p.len, b.shape.byteCount - byteOffset) };
      });
      return { fn: 'buildMdl', name: known.nextMdlName(), parts };
    }
    case 'delete': {
      // A client deletes its GPADLs whatever the state of its channel (after a close, after a rescind).
      const ep = endpoint(command.ep, () => true);
      if (ep === undefined) return undefined;
      const g = gpadl(command.gpadl, pairOf(ep), (x) => x.phase === 'live');
      return g && { fn: 'delete', ep, gpadl: g };
    }
    case 'map': {
      const ep = endpoint(command.ep, (s) => s === 'Enabled' || s === 'Opened');
      if (ep === undefined) return undefined;
      const g = gpadl(command.gpadl, pairOf(ep), (x) => x.phase === 'live' && known.mappings.get(x.name)?.current !== true, true);
      if (!misuse && g !== undefined && 'ring' in g && known.mappings.get(ringKey(g.ring))?.current) return undefined;
      return g && { fn: 'map', ep, flags: command.flags, gpadl: g };
    }
    case 'unmap': {
      const ep = endpoint(command.ep, () => true);
      if (ep === undefined) return undefined;
      if (misuse) {
        const g = gpadl(command.gpadl, pairOf(ep), () => true);
        return g && { fn: 'unmap', ep, gpadl: g };
      }
      const pair = pairOf(ep)!;
      const mapped = [...known.mappings.values()].filter((m) => m.current && (known.gpadl(m.gpadl)?.pair === pair || m.gpadl === ringKey(channelName(pair))));
      const m = command.gpadl.k === 'pick' ? pickFrom(mapped, command.gpadl.i) : undefined;
      return m && { fn: 'unmap', ep, gpadl: gpadlOfKey(m.gpadl) };
    }
    case 'systemVa': {
      const m = mdl(command.mdl, ['mapped']);
      return m && { fn: 'systemVa', mdl: m.ref };
    }
    case 'writeMdl':
    case 'readMdl': {
      const m = mdl(command.mdl, ['mapped'], true);
      const s = m && span(command.off, command.len, m.byteCount);
      if (m === undefined || s === undefined) return undefined;
      return command.op === 'writeMdl' ? { fn: 'writeMdl', mdl: m.ref, ...s, byte: command.byte } : { fn: 'readMdl', mdl: m.ref, ...s };
    }
    case 'writeBuffer':
    case 'readBuffer':
    case 'readSnapshot': {
      const b = buffer(command.buf);
      const s = span(command.off, command.len, b.shape.byteCount);
      if (s === undefined || (command.op === 'readSnapshot' && !misuse && known.migration !== 'finished')) return undefined;
      if (command.op === 'writeBuffer') return { fn: 'writeBuffer', buffer: b.name, ...s, byte: command.byte };
      return { fn: command.op, buffer: b.name, ...s };
    }
    case 'enable': {
      const ep = endpoint(command.ep, (s) => s === 'Disabled');
      return ep && { fn: 'enable', ep };
    }
    case 'disable': {
      const ep = endpoint(command.ep, (s) => s !== 'Disabled');
      return ep && { fn: 'disable', ep };
    }
    case 'cleanup': {
      const ep = endpoint(command.ep, (s) => s === 'Disabled');
      return ep && { fn: 'cleanup', ep };
    }
    case 'hostDirect':
      return misuse || known.states[command.pair]!.server !== 'freed' ? { fn: 'hostDirect', channel: channelName(command.pair), directive: command.directive } : undefined;
    case 'hostAnswer':
      return misuse || known.states[command.pair]!.server !== 'freed' ? { fn: 'hostAnswer', channel: channelName(command.pair) } : undefined;
    case 'migrationBegin':
      return misuse || known.migration !== 'running' ? { fn: 'migrationBegin' } : undefined;
    case 'migrationFinish':
      return misuse || known.migration === 'running' ? { fn: 'migrationFinish' } : undefined;
    case 'wireOffer':
      return misuse || known.wireChannels < 3 ? { fn: 'wireOffer' } : undefined;
    case 'wireSend': {
      // Without misuse, only channels the host offered.
      const named = [...command.message.matchAll(/\bw(\d+)\b/g)].map((m) => Number(m[1]));
      return misuse || named.every((n) => n <= known.wireChannels) ? { fn: 'wireSend', message: command.message } : undefined;
    }
    case 'wireHold':
    case 'wireRelease':
      return misuse || command.ch < known.wireChannels ? { fn: command.op, channel: wireChannelName(command.ch), gpadl: wireGpadl(command.gpadl) } : undefined;
    case 'wireRevoke':
      return misuse || command.ch < known.wireChannels ? { fn: 'wireRevoke', channel: wireChannelName(command.ch) } : undefined;
  }
}

/** What a step taught the driver, from the reference's answer to it. */
interface EndpointsView {
  readonly states: ReadonlyArray<Record<Role, EndpointState | 'freed'>>;
  ringChannels(): Iterable<string>;
}

export function learn(known: Knowledge, call: Call, facts: StepFacts, side: EndpointsView): void {
  switch (call.fn) {
    case 'createFromBuffer':
    case 'createFromMdl': {
      const pair = pairOf(call.ep) ?? -1;
      const created = facts.status !== undefined && ntSuccess(facts.status) && facts.returnedHandle === true;
      const phase = created ? 'live' : facts.status === STATUS_PENDING ? 'pending' : 'gone';
      known.gpadls.push({ name: call.name, pair, readOnly: (call.flags & 1) !== 0, phase, issued: created });
      break;
    }
    case 'buildMdl':
      if (facts.status !== undefined && ntSuccess(facts.status)) known.built.push({ name: call.name, byteCount: call.parts.reduce((sum, p) => sum + p.byteCount, 0) });
      break;
    case 'delete': {
      const g = 'name' in call.gpadl ? known.gpadl(call.gpadl.name) : undefined;
      if (g !== undefined && g.phase === 'live' && 'role' in call.ep && call.ep.role === 'client' && pairOf(call.ep) === g.pair) g.phase = facts.deleteState === 'completed' ? 'gone' : 'deleting';
      break;
    }
    case 'map': {
      const key = gpadlKey(call.gpadl);
      if (key !== undefined && facts.chainBytes !== undefined) known.mappings.set(key, { gpadl: key, byteCount: facts.chainBytes, systemVa: false, current: true });
      break;
    }
    case 'unmap': {
      const key = gpadlKey(call.gpadl);
      const mapping = key === undefined ? undefined : known.mappings.get(key);
      const pair = pairOf(call.ep);
      const named = key === undefined ? undefined : gpadlOfKey(key);
      const mappedPair = named === undefined ? undefined : 'ring' in named ? pairOf({ channel: named.ring, role: 'server' }) : known.gpadl(named.name)?.pair;
      if (mapping !== undefined && 'role' in call.ep && call.ep.role === 'server' && pair === mappedPair) mapping.current = false;
      break;
    }
    case 'systemVa':
      if ('mappingOf' in call.mdl && facts.status !== undefined && ntSuccess(facts.status)) {
        const mapping = known.mappings.get(call.mdl.mappingOf);
        if (mapping !== undefined) mapping.systemVa = true;
      }
      break;
    case 'cleanup':
      // The client's cleanup tears down the GPADLs it leaked (CHAN-24).
      if ('role' in call.ep && call.ep.role === 'client') for (const g of known.gpadls) if (g.pair === pairOf(call.ep)) g.phase = 'gone';
      break;
    case 'migrationBegin':
      if (facts.status !== undefined && ntSuccess(facts.status)) known.migration = 'running';
      break;
    case 'migrationFinish':
      if (facts.status !== undefined && ntSuccess(facts.status)) known.migration = 'finished';
      break;
    case 'wireOffer':
      known.wireChannels++;
      break;
    default:
      break;
  }
  for (const done of facts.completed) {
    const g = known.gpadl(done.gpadl);
    if (g === undefined) continue;
    if (done.kind === 'delete') g.phase = 'gone';
    else {
      g.phase = done.handle ? 'live' : 'gone';
      g.issued = done.handle;
    }
  }
  syncEndpoints(known, side);
}

/** The states of the endpoints and which channels have a ring-buffer GPADL, as the reference shows them. */
export function syncEndpoints(known: Knowledge, side: EndpointsView): void {
  side.states.forEach((states, pair) => (known.states[pair] = { ...states }));
  known.rings.clear();
  for (const channel of side.ringChannels()) known.rings.add(channel);
}
