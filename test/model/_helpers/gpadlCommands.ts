/**
 * Commands for the model-based GPADL properties: plain records, so that fast-check prints (and
 * shrinks) a counterexample as a readable list of calls. References (endpoints, GPADL handles,
 * buffers, MDLs, offsets) are small numbers resolved against the run's state when the command
 * executes, so that a shrunk sequence stays meaningful: index 0 of a handle or MDL reference is the
 * most recent one, and offsets are taken modulo what the buffer allows.
 *
 * With capability hostControl the commands also steer the host behind a channel: `hostDirect`
 * (refuse or hold back the next GPADL, refuse the next open), `hostAnswer` (send the held-back
 * GPADL_CREATED) and `createOutcome` (how a create that returned STATUS_PENDING ended).
 */
import fc from 'fast-check';

export type Role = 'client' | 'server';
export type EpRef = { readonly pair: number; readonly role: Role } | { readonly bogus: true };
/**
 * A GPADL handle: one issued earlier (0 = the most recent; ring-buffer GPADLs and deleted ones
 * included), one the oracle believes live or mapped (to reach the interesting states more often;
 * any issued handle when there is none), one a GPADL_HEADER carried but no call returned (a create
 * the host refused or held back, the ring-buffer GPADL of an open that failed or waits), 0, or one
 * never issued.
 */
export type HandleRef =
  | { readonly k: 'seen' | 'live' | 'mapped' | 'unreturned'; readonly i: number }
  | { readonly k: 'zero' }
  | { readonly k: 'unknown' };
/** A directive for the host (capability hostControl), or a word that is none. */
export type Directive = 'refuseGpadl' | 'deferGpadl' | 'refuseOpen' | 'bogus';
/** An operation: of a create that returned STATUS_PENDING (0 = the most recent), any operation, or one never started. */
export type OpRef = { readonly k: 'create' | 'any'; readonly i: number } | { readonly k: 'unknown' };
/** A byte count relative to a size S: 0, S, 1..S, or more than S. */
export type Count = { readonly k: 'zero' } | { readonly k: 'all' } | { readonly k: 'within'; readonly n: number } | { readonly k: 'beyond'; readonly n: number };

export interface BufferSpec {
  readonly byteOffset: number;
  readonly byteCount: number;
}
export interface PartSpec {
  readonly buf: number;
  readonly off: number;
  readonly len: Count;
}

export type Cmd =
  | { readonly op: 'createBuf'; readonly ep: EpRef; readonly flags: number; readonly buf: number; readonly count: Count }
  | { readonly op: 'createMdl'; readonly ep: EpRef; readonly flags: number; readonly mdl: number; readonly start: Count; readonly length: Count }
  | { readonly op: 'buildMdl'; readonly parts: readonly PartSpec[] }
  | { readonly op: 'delete'; readonly ep: EpRef; readonly h: HandleRef }
  | { readonly op: 'map'; readonly ep: EpRef; readonly flags: number; readonly h: HandleRef }
  | { readonly op: 'unmap'; readonly ep: EpRef; readonly h: HandleRef }
  | { readonly op: 'sysVa'; readonly mdl: number }
  | { readonly op: 'writeMdl'; readonly mdl: number; readonly off: number; readonly len: number; readonly byte: number }
  | { readonly op: 'readMdl'; readonly mdl: number; readonly off: number; readonly len: number }
  | { readonly op: 'writeBuf'; readonly buf: number; readonly off: number; readonly len: number; readonly byte: number }
  | { readonly op: 'readBuf'; readonly buf: number; readonly off: number; readonly len: number }
  | { readonly op: 'enable' | 'disable' | 'cleanup'; readonly ep: EpRef }
  /** Disable, then enable: a client closes and opens again, a server rescinds and offers anew. */
  | { readonly op: 'reopen'; readonly ep: EpRef }
  | { readonly op: 'hostDirect'; readonly ep: EpRef; readonly directive: Directive }
  | { readonly op: 'hostAnswer'; readonly ep: EpRef }
  | { readonly op: 'createOutcome'; readonly ref: OpRef };

export const PAIRS = 2;
const PAGE = 4096;

// ---- Arbitraries ------------------------------------------------------------------------------

/** Channel 0 more often than 1, so that a map or delete names the channel of its GPADL more often than not. */
const pairArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: PAIRS - 1 }) });

/** An endpoint, weighted towards the role the operation is meant for. */
function epArb(weights: { client: number; server: number; bogus?: number }): fc.Arbitrary<EpRef> {
  return fc.oneof(
    { weight: weights.client, arbitrary: fc.record({ pair: pairArb, role: fc.constant<Role>('client') }) },
    { weight: weights.server, arbitrary: fc.record({ pair: pairArb, role: fc.constant<Role>('server') }) },
    { weight: weights.bogus ?? 1, arbitrary: fc.constant<EpRef>({ bogus: true }) },
  );
}

/** Defined (0, 0x1) and undefined (0x2, 0x3, 0x80000000, ...) flag bits. */
export const flagsArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.constant(1) },
  { weight: 1, arbitrary: fc.constantFrom(2, 3, 0x80, 0x80000000, 0x80000001) },
);

export const handleArb: fc.Arbitrary<HandleRef> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('seen' as const), i: fc.constant(0) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('seen' as const), i: fc.nat(12) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('live' as const), i: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('mapped' as const), i: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('unreturned' as const), i: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant<HandleRef>({ k: 'zero' }) },
  { weight: 1, arbitrary: fc.constant<HandleRef>({ k: 'unknown' }) },
);

export const directiveArb: fc.Arbitrary<Directive> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Directive>('deferGpadl') },
  { weight: 6, arbitrary: fc.constant<Directive>('refuseGpadl') },
  { weight: 5, arbitrary: fc.constant<Directive>('refuseOpen') },
  { weight: 1, arbitrary: fc.constant<Directive>('bogus') },
);

const opRefArb: fc.Arbitrary<OpRef> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('create' as const), i: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('any' as const), i: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.constant<OpRef>({ k: 'unknown' }) },
);

export const countArb: fc.Arbitrary<Count> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Count>({ k: 'all' }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('within' as const), n: fc.nat(3 * PAGE) }) },
  { weight: 1, arbitrary: fc.constant<Count>({ k: 'zero' }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('beyond' as const), n: fc.nat(2 * PAGE) }) },
);
/** For a start offset: 0 and "within" are valid, "all" (= the end) and "beyond" are not. */
const startArb: fc.Arbitrary<Count> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Count>({ k: 'zero' }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('within' as const), n: fc.nat(3 * PAGE) }) },
  { weight: 1, arbitrary: fc.constant<Count>({ k: 'all' }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('beyond' as const), n: fc.nat(PAGE) }) },
);

export const bufferSpecArb: fc.Arbitrary<BufferSpec> = fc.record({
  byteOffset: fc.oneof(fc.constant(0), fc.constant(PAGE - 1), fc.integer({ min: 0, max: PAGE - 1 })),
  byteCount: fc.oneof(
    fc.integer({ min: 1, max: 64 }),
    fc.constantFrom(1, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE),
    fc.integer({ min: 1, max: 3 * PAGE + 512 }),
  ),
});
export const buffersArb = fc.array(bufferSpecArb, { minLength: 2, maxLength: 4 });

const bufIdx = fc.nat(3);
const partArb: fc.Arbitrary<PartSpec> = fc.record({ buf: bufIdx, off: fc.nat(3 * PAGE), len: countArb });

type Weighted = fc.WeightedArbitrary<Cmd>;
/** The calls every implementation has: memory, MDLs, the GPADL functions, the channel life cycle. */
const coreCmds: Weighted[] = [
  { weight: 10, arbitrary: fc.record({ op: fc.constant('createBuf' as const), ep: epArb({ client: 12, server: 1 }), flags: flagsArb, buf: bufIdx, count: countArb }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('createMdl' as const), ep: epArb({ client: 12, server: 1 }), flags: flagsArb, mdl: fc.nat(4), start: startArb, length: countArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('buildMdl' as const), parts: fc.array(partArb, { minLength: 0, maxLength: 3 }) }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('delete' as const), ep: epArb({ client: 12, server: 1 }), h: handleArb }) },
  { weight: 12, arbitrary: fc.record({ op: fc.constant('map' as const), ep: epArb({ client: 1, server: 12 }), flags: flagsArb, h: handleArb }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('unmap' as const), ep: epArb({ client: 1, server: 12 }), h: handleArb }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('sysVa' as const), mdl: fc.nat(6) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('writeMdl' as const), mdl: fc.nat(6), off: fc.nat(4 * PAGE), len: fc.nat(2 * PAGE), byte: fc.nat(255) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('readMdl' as const), mdl: fc.nat(6), off: fc.nat(4 * PAGE), len: fc.nat(2 * PAGE) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('writeBuf' as const), buf: bufIdx, off: fc.nat(4 * PAGE), len: fc.nat(2 * PAGE), byte: fc.nat(255) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('readBuf' as const), buf: bufIdx, off: fc.nat(4 * PAGE), len: fc.nat(2 * PAGE) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('disable' as const), ep: epArb({ client: 3, server: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('enable' as const), ep: epArb({ client: 3, server: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cleanup' as const), ep: epArb({ client: 3, server: 3 }) }) },
];
export const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(...coreCmds);

/**
 * The same calls with the host steered (capability hostControl): directives, late answers, the
 * outcome of pending creates, and more closes and rescinds (`reopen`), so that opens meet the
 * directives and rescinds meet pending creates.
 */
export const hostCmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  ...coreCmds,
  { weight: 3, arbitrary: fc.record({ op: fc.constant('reopen' as const), ep: epArb({ client: 3, server: 2, bogus: 0 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('hostDirect' as const), ep: epArb({ client: 1, server: 12 }), directive: directiveArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('hostAnswer' as const), ep: epArb({ client: 1, server: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('createOutcome' as const), ref: opRefArb }) },
);

function scenarioOf(cmds: fc.Arbitrary<Cmd>) {
  return fc.record({
    buffers: buffersArb,
    /** The first MDL chain, built before the commands run (parts over the buffers above). */
    chain: fc.array(fc.record({ buf: bufIdx, off: fc.nat(3 * PAGE), len: fc.oneof(fc.constant<Count>({ k: 'all' }), fc.record({ k: fc.constant('within' as const), n: fc.nat(3 * PAGE) })) }), { minLength: 1, maxLength: 3 }),
    cmds: fc.array(cmds, { minLength: 1, maxLength: 80, size: 'max' }),
  });
}
export const scenarioArb = scenarioOf(cmdArb);
/** Scenarios for an implementation with capability hostControl. */
export const hostScenarioArb = scenarioOf(hostCmdArb);
export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

// ---- Printing ---------------------------------------------------------------------------------

export function showEp(ep: EpRef): string {
  return 'bogus' in ep ? 'E?' : `${ep.role === 'client' ? 'C' : 'S'}${ep.pair}`;
}
export function showHandle(h: HandleRef): string {
  return h.k === 'zero' || h.k === 'unknown' ? h.k : `${h.k}[-${h.i}]`;
}
export function showOp(ref: OpRef): string {
  return ref.k === 'unknown' ? 'op?' : `${ref.k}Op[-${ref.i}]`;
}
export function showCount(c: Count): string {
  return c.k === 'within' || c.k === 'beyond' ? `${c.k}(${c.n})` : c.k;
}
export function showFlags(flags: number): string {
  return `0x${flags.toString(16)}`;
}

/** One command as a call: `map(S0, 0x1, seen[-0])`. */
export function showCmd(cmd: Cmd): string {
  switch (cmd.op) {
    case 'createBuf':
      return `createGpadlFromBuffer(${showEp(cmd.ep)}, ${showFlags(cmd.flags)}, buf${cmd.buf}, ${showCount(cmd.count)})`;
    case 'createMdl':
      return `createGpadlFromMdl(${showEp(cmd.ep)}, ${showFlags(cmd.flags)}, mdl[-${cmd.mdl}], start=${showCount(cmd.start)}, length=${showCount(cmd.length)})`;
    case 'buildMdl':
      return `buildMdl([${cmd.parts.map((p) => `buf${p.buf}@${p.off}+${showCount(p.len)}`).join(', ')}])`;
    case 'delete':
      return `deleteGpadl(${showEp(cmd.ep)}, ${showHandle(cmd.h)})`;
    case 'map':
      return `mapGpadl(${showEp(cmd.ep)}, ${showFlags(cmd.flags)}, ${showHandle(cmd.h)})`;
    case 'unmap':
      return `unmapGpadl(${showEp(cmd.ep)}, ${showHandle(cmd.h)})`;
    case 'sysVa':
      return `mapMdlToSystemVa(mdl[-${cmd.mdl}])`;
    case 'writeMdl':
      return `writeMdl(mdl[-${cmd.mdl}], ${cmd.off}, ${cmd.len} bytes)`;
    case 'readMdl':
      return `readMdl(mdl[-${cmd.mdl}], ${cmd.off}, ${cmd.len})`;
    case 'writeBuf':
      return `writeBuffer(buf${cmd.buf}, ${cmd.off}, ${cmd.len} bytes)`;
    case 'readBuf':
      return `readBuffer(buf${cmd.buf}, ${cmd.off}, ${cmd.len})`;
    case 'enable':
    case 'disable':
    case 'cleanup':
      return `${cmd.op}Channel(${showEp(cmd.ep)})`;
    case 'reopen':
      return `disableChannel(${showEp(cmd.ep)}) + enableChannel(${showEp(cmd.ep)})`;
    case 'hostDirect':
      return `hostDirect(${showEp(cmd.ep)}, ${cmd.directive === 'bogus' ? "'refuseEverything'" : cmd.directive})`;
    case 'hostAnswer':
      return `hostAnswerDeferred(${showEp(cmd.ep)})`;
    case 'createOutcome':
      return `createOutcome(${showOp(cmd.ref)})`;
  }
}
