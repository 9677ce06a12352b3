/**
 * What the fuzzer generates: plain records, so that fast-check shrinks them and prints them, and a
 * seed and path replay them exactly. A command names what it acts on by small numbers ("the 2nd
 * most recent GPADL", "buffer 1"), resolved only when it runs, against what the run has made so far
 * ({@link ./plan.ts}): a shrunk list stays meaningful when commands before it are dropped.
 *
 * Two kinds of run share these commands. Without `--misuse` each is resolved to a call a correct
 * driver could make (a map of a GPADL that is live and not mapped, a delete by the client of its
 * channel, counts within the buffer); one that has no such target is skipped. With `--misuse` the
 * same numbers may also name what a driver must not pass: a bogus endpoint, the other role, a
 * deleted or never issued handle, undefined flag bits, a count of zero or beyond the buffer, the MDL
 * a map returned given to a create.
 */
import fc from 'fast-check';
import { PAGE_SIZE } from '../contract/handles.js';
import { wireCommandArb, type WireCommand } from './wire.js';

export type Role = 'client' | 'server';
/** Channel `pair` (0 or 1), one of its endpoints; `bogus` is a handle no call returned (misuse only). */
export type EndpointPick = { readonly pair: number; readonly role: Role; readonly bogus?: boolean };
/** A GPADL: index into the candidates (0 = most recent), or, with misuse, 0 or a handle never issued. */
export type GpadlPick = { readonly k: 'pick'; readonly i: number } | { readonly k: 'zero' } | { readonly k: 'unknown' };
/** An MDL: one built over buffers, one a map returned, or (misuse) a handle never issued. */
export type MdlPick = { readonly k: 'built' | 'mapped'; readonly i: number } | { readonly k: 'unknown' };
/** A byte count relative to a size S: all of it, part of it, and with misuse also 0 or more than S. */
export type Count = { readonly k: 'all' } | { readonly k: 'within'; readonly n: number } | { readonly k: 'zero' } | { readonly k: 'beyond'; readonly n: number };
export type Directive = 'refuseGpadl' | 'deferGpadl' | 'refuseOpen' | 'revokeSilently';

export interface BufferShape {
  /** Where the buffer starts within its first page. */
  readonly byteOffset: number;
  readonly byteCount: number;
}
export interface PartShape {
  readonly buf: number;
  readonly off: number;
  readonly len: Count;
}

export type Command =
  | { readonly op: 'createFromBuffer'; readonly ep: EndpointPick; readonly flags: number; readonly buf: number; readonly count: Count }
  | { readonly op: 'createFromMdl'; readonly ep: EndpointPick; readonly flags: number; readonly mdl: MdlPick; readonly start: Count; readonly length: Count }
  | { readonly op: 'buildMdl'; readonly parts: readonly PartShape[] }
  | { readonly op: 'delete'; readonly ep: EndpointPick; readonly gpadl: GpadlPick }
  | { readonly op: 'map'; readonly ep: EndpointPick; readonly flags: number; readonly gpadl: GpadlPick }
  | { readonly op: 'unmap'; readonly ep: EndpointPick; readonly gpadl: GpadlPick }
  | { readonly op: 'systemVa'; readonly mdl: MdlPick }
  | { readonly op: 'writeMdl'; readonly mdl: MdlPick; readonly off: number; readonly len: number; readonly byte: number }
  | { readonly op: 'readMdl'; readonly mdl: MdlPick; readonly off: number; readonly len: number }
  | { readonly op: 'writeBuffer'; readonly buf: number; readonly off: number; readonly len: number; readonly byte: number }
  | { readonly op: 'readBuffer'; readonly buf: number; readonly off: number; readonly len: number }
  | { readonly op: 'enable' | 'disable' | 'cleanup'; readonly ep: EndpointPick }
  /** Disable, then (on a client, with ring-buffer page counts when given) enable again: a close and an open, or a rescind and a new offer. */
  | { readonly op: 'reopen'; readonly ep: EndpointPick; readonly ringPages?: readonly [incoming: number, outgoing: number] }
  | { readonly op: 'hostDirect'; readonly pair: number; readonly directive: Directive }
  | { readonly op: 'hostAnswer'; readonly pair: number }
  | { readonly op: 'migrationBegin' | 'migrationFinish' }
  /** A migration across a mapping's life: begin, map a GPADL (then write through it), maybe unmap, finish. */
  | { readonly op: 'migrateAcrossMapping'; readonly flags: number; readonly gpadl: GpadlPick; readonly write: boolean; readonly unmap: boolean }
  | { readonly op: 'readSnapshot'; readonly buf: number; readonly off: number; readonly len: number }
  | WireCommand;
export type Op = Command['op'];

/** Two channels: enough for "the other channel" (a map on the wrong one, a delete through the other client). */
export const PAIRS = 2;
/** The most buffers a run allocates before its commands. */
export const MAX_BUFFERS = 4;

/** What the run's implementations claim, which decides the commands worth generating. */
export interface Generated {
  readonly misuse: boolean;
  readonly hostControl: boolean;
  readonly migration: boolean;
  /** buildMdl and the create from an MDL. */
  readonly mdl: boolean;
  /** Disable and cleanup. */
  readonly lifecycle: boolean;
  /** Channel messages sent to the host as bytes (./wire.ts). */
  readonly wireHost: boolean;
  readonly maxCommands: number;
}

const pairArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });
function endpointArb(role: Role, misuse: boolean): fc.Arbitrary<EndpointPick> {
  const right = fc.record({ pair: pairArb, role: fc.constant(role) });
  if (!misuse) return right;
  const other: Role = role === 'client' ? 'server' : 'client';
  return fc.oneof(
    { weight: 12, arbitrary: right },
    { weight: 1, arbitrary: fc.record({ pair: pairArb, role: fc.constant(other) }) },
    { weight: 1, arbitrary: fc.record({ pair: pairArb, role: fc.constant(role), bogus: fc.constant(true) }) },
  );
}
const anyEndpointArb = (misuse: boolean) => fc.oneof(endpointArb('client', misuse), endpointArb('server', misuse));

function flagsArb(misuse: boolean): fc.Arbitrary<number> {
  const defined = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(1) });
  return misuse ? fc.oneof({ weight: 10, arbitrary: defined }, { weight: 1, arbitrary: fc.constantFrom(2, 3, 0x80, 0x80000000, 0x80000001) }) : defined;
}

function gpadlArb(misuse: boolean): fc.Arbitrary<GpadlPick> {
  const pick = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(6) });
  const picked = fc.record({ k: fc.constant('pick' as const), i: pick });
  if (!misuse) return picked;
  return fc.oneof({ weight: 14, arbitrary: picked }, { weight: 1, arbitrary: fc.constant<GpadlPick>({ k: 'zero' }) }, { weight: 1, arbitrary: fc.constant<GpadlPick>({ k: 'unknown' }) });
}

function mdlArb(kinds: ReadonlyArray<'built' | 'mapped'>, misuse: boolean): fc.Arbitrary<MdlPick> {
  const picked = fc.record({ k: fc.constantFrom(...kinds), i: fc.oneof(fc.constant(0), fc.nat(4)) });
  if (!misuse) return picked;
  return fc.oneof(
    { weight: 12, arbitrary: picked },
    // A create given the MDL a map returned, and the other way round: how the TypeError of issue 10 was reached.
    { weight: 2, arbitrary: fc.record({ k: fc.constantFrom<'built' | 'mapped'>('built', 'mapped'), i: fc.nat(4) }) },
    { weight: 1, arbitrary: fc.constant<MdlPick>({ k: 'unknown' }) },
  );
}

const within = (max: number) => fc.record({ k: fc.constant('within' as const), n: fc.oneof(fc.integer({ min: 1, max }), fc.constantFrom(1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1)) });
function countArb(misuse: boolean): fc.Arbitrary<Count> {
  const valid = fc.oneof({ weight: 4, arbitrary: fc.constant<Count>({ k: 'all' }) }, { weight: 4, arbitrary: within(3 * PAGE_SIZE) });
  if (!misuse) return valid;
  return fc.oneof(
    { weight: 10, arbitrary: valid },
    { weight: 1, arbitrary: fc.constant<Count>({ k: 'zero' }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('beyond' as const), n: fc.integer({ min: 1, max: 2 * PAGE_SIZE }) }) },
  );
}
/** A start offset into an MDL chain: 0 or within it; with misuse also at or beyond its end. */
function startArb(misuse: boolean): fc.Arbitrary<Count> {
  const valid = fc.oneof({ weight: 4, arbitrary: fc.constant<Count>({ k: 'zero' }) }, { weight: 3, arbitrary: within(3 * PAGE_SIZE) });
  if (!misuse) return valid;
  return fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: fc.constant<Count>({ k: 'all' }) }, { weight: 1, arbitrary: fc.record({ k: fc.constant('beyond' as const), n: fc.integer({ min: 1, max: PAGE_SIZE }) }) });
}
/** An MDL create's length: 0 (to the end of the chain, valid) or part of it; with misuse also beyond. */
function lengthArb(misuse: boolean): fc.Arbitrary<Count> {
  const valid = fc.oneof({ weight: 3, arbitrary: fc.constant<Count>({ k: 'zero' }) }, { weight: 2, arbitrary: fc.constant<Count>({ k: 'all' }) }, { weight: 4, arbitrary: within(3 * PAGE_SIZE) });
  return misuse ? fc.oneof({ weight: 10, arbitrary: valid }, { weight: 1, arbitrary: fc.record({ k: fc.constant('beyond' as const), n: fc.integer({ min: 1, max: 2 * PAGE_SIZE }) }) }) : valid;
}

export const bufferShapeArb: fc.Arbitrary<BufferShape> = fc.record({
  byteOffset: fc.oneof(fc.constant(0), fc.constantFrom(1, 2048, PAGE_SIZE - 1), fc.integer({ min: 0, max: PAGE_SIZE - 1 })),
  byteCount: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 64 }) },
    { weight: 4, arbitrary: fc.constantFrom(PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 2 * PAGE_SIZE, 2 * PAGE_SIZE + 1) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 * PAGE_SIZE + 512 }) },
    // GPADLs that need GPADL_BODY messages: 26 page numbers fit the header, 28 each body.
    { weight: 1, arbitrary: fc.constantFrom(26 * PAGE_SIZE, 27 * PAGE_SIZE, 54 * PAGE_SIZE + 1, 55 * PAGE_SIZE, 120 * PAGE_SIZE - 7) },
  ),
});
const bufArb = fc.nat(MAX_BUFFERS - 1);
const partArb: fc.Arbitrary<PartShape> = fc.record({ buf: bufArb, off: fc.oneof(fc.constant(0), fc.nat(3 * PAGE_SIZE)), len: fc.oneof(fc.constant<Count>({ k: 'all' }), within(3 * PAGE_SIZE)) });
const offsetArb = fc.oneof(fc.constant(0), fc.nat(3 * PAGE_SIZE));
const lengthBytesArb = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 2 * PAGE_SIZE }));

type Group = 'create' | 'map' | 'mdlAccess' | 'buffers' | 'delete' | 'lifecycle' | 'host' | 'migration';

/** The commands of each group that the capabilities allow, with their weights. */
function groups(g: Generated): ReadonlyMap<Group, ReadonlyArray<fc.WeightedArbitrary<Command>>> {
  const m = g.misuse;
  const all = new Map<Group, Array<fc.WeightedArbitrary<Command>>>([
    ['create', [{ weight: 10, arbitrary: fc.record({ op: fc.constant('createFromBuffer' as const), ep: endpointArb('client', m), flags: flagsArb(m), buf: bufArb, count: countArb(m) }) }]],
    ['map', [
      { weight: 12, arbitrary: fc.record({ op: fc.constant('map' as const), ep: endpointArb('server', m), flags: flagsArb(m), gpadl: gpadlArb(m) }) },
      { weight: 8, arbitrary: fc.record({ op: fc.constant('unmap' as const), ep: endpointArb('server', m), gpadl: gpadlArb(m) }) },
    ]],
    ['mdlAccess', [
      { weight: 5, arbitrary: fc.record({ op: fc.constant('systemVa' as const), mdl: mdlArb(['mapped'], m) }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('writeMdl' as const), mdl: mdlArb(['mapped'], m), off: offsetArb, len: lengthBytesArb, byte: fc.integer({ min: 1, max: 255 }) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('readMdl' as const), mdl: mdlArb(['mapped'], m), off: offsetArb, len: lengthBytesArb }) },
    ]],
    ['buffers', [
      { weight: 3, arbitrary: fc.record({ op: fc.constant('writeBuffer' as const), buf: bufArb, off: offsetArb, len: lengthBytesArb, byte: fc.integer({ min: 1, max: 255 }) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('readBuffer' as const), buf: bufArb, off: offsetArb, len: lengthBytesArb }) },
    ]],
    ['delete', [{ weight: 8, arbitrary: fc.record({ op: fc.constant('delete' as const), ep: endpointArb('client', m), gpadl: gpadlArb(m) }) }]],
  ]);
  if (g.mdl) {
    all.get('create')!.push(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('createFromMdl' as const), ep: endpointArb('client', m), flags: flagsArb(m), mdl: mdlArb(['built'], m), start: startArb(m), length: lengthArb(m) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('buildMdl' as const), parts: fc.array(partArb, { minLength: 1, maxLength: 3 }) }) },
    );
  }
  if (g.lifecycle) {
    all.set('lifecycle', [
      { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('enable' as const, 'disable' as const), ep: anyEndpointArb(m) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('cleanup' as const), ep: anyEndpointArb(m) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('reopen' as const), ep: anyEndpointArb(false), ringPages: fc.option(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 })), { nil: undefined }) }, { requiredKeys: ['op', 'ep'] }) },
    ]);
  }
  if (g.hostControl) {
    all.set('host', [
      { weight: 5, arbitrary: fc.record({ op: fc.constant('hostDirect' as const), pair: pairArb, directive: fc.constantFrom<Directive>('deferGpadl', 'deferGpadl', 'refuseGpadl', 'refuseOpen', 'revokeSilently') }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('hostAnswer' as const), pair: pairArb }) },
    ]);
  }
  if (g.migration) {
    all.set('migration', [
      { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('migrationBegin' as const, 'migrationFinish' as const) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('migrateAcrossMapping' as const), flags: flagsArb(m), gpadl: gpadlArb(m), write: fc.boolean(), unmap: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('readSnapshot' as const), buf: bufArb, off: offsetArb, len: lengthBytesArb }) },
    ]);
  }
  return all;
}

/** Any command the capabilities allow (every group), wire messages included with wireHost. */
export function commandArb(g: Generated): fc.Arbitrary<Command> {
  const weighted = [...groups(g).values()].flat();
  if (g.wireHost) weighted.push({ weight: 4, arbitrary: wireCommandArb(g.misuse) });
  return fc.oneof(...weighted);
}

/** One run: the buffers allocated before the commands, then the commands. */
export interface Program {
  readonly buffers: readonly BufferShape[];
  /** The client of the second channel is allocated but not enabled: a client that never opened. */
  readonly unopened?: boolean;
  readonly commands: readonly Command[];
}

function programOf(commands: fc.Arbitrary<Command>, maxCommands: number): fc.Arbitrary<Program> {
  return fc.record({
    buffers: fc.array(bufferShapeArb, { minLength: 1, maxLength: MAX_BUFFERS }),
    unopened: fc.boolean(),
    commands: fc.array(commands, { minLength: 1, maxLength: maxCommands, size: 'max' }),
  });
}

/**
 * Programs of contract calls, each drawn from a few groups of commands only (swarm testing, Groce
 * et al. 2012): a sequence that needs three kinds of call in order (a create, a close, a cleanup)
 * is rare among all kinds and common among a few. With wireHost, half the programs talk to the
 * host on the wire instead.
 */
export function programArb(g: Generated): fc.Arbitrary<Program> {
  const available = groups(g);
  const others = [...available.keys()].filter((group) => group !== 'create');
  const calls = fc
    .subarray(others, { minLength: 1 })
    // Each group chosen is as likely as any other, whatever its number of commands.
    .chain((chosen) => programOf(fc.oneof(...['create' as const, ...chosen].map((group) => fc.oneof(...available.get(group)!))), g.maxCommands));
  return g.wireHost ? fc.oneof(calls, programOf(wireCommandArb(g.misuse), g.maxCommands)) : calls;
}
