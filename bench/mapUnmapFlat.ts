/**
 * Benchmark (issue 11, memory): VmbChannelMapGpadl and VmbChannelUnmapGpadl stay flat as a channel's
 * live GPADLs grow from 10^2 to 10^5.
 *
 * One reference model per N (100, 1,000, 10,000, 100,000), each with N live 1-page GPADLs created on
 * one open channel through the KMCL calls, in process, trace off (the model sets no cap on a
 * channel's GPADLs). Then, in rounds that visit every N in turn (so machine noise falls on all of
 * them alike), a batch of map+unmap pairs on GPADLs picked at random among that model's N; the
 * figure per N is the median over rounds of the CPU time per map+unmap pair. Random picks spread over
 * all N records, so the largest N also pays the cache misses of a table that no longer fits in the
 * CPU's caches: that is part of what "flat" has to survive. A control row (10^5 live, picks among
 * 100 of them) tells a scan from those misses. Beside the target, each round also times one more
 * GPADL created and deleted at each N (messages as bytes).
 *
 * What a profile showed (node --cpu-prof, 10^5 against 10^2): no scan anywhere; map and unmap look
 * a GPADL up in the host's table by id (a Map), and at 10^5 almost all the added time is on that
 * look-up and the first read of the record it finds, i.e. memory latency over a 100+ MB heap. The
 * create+delete growth at 10^5 is spread evenly over every function (encode, decode, GC), which is
 * the garbage collector and the memory system working over a large heap, not the model's tables.
 *
 *   npm run build && node dist/bench/mapUnmapFlat.js
 *   BENCH_ROUNDS=31 node dist/bench/mapUnmapFlat.js
 */
import { gpadlFlags } from '../src/contract/flags.js';
import type { BufferHandle, GpadlHandle } from '../src/contract/handles.js';
import { STATUS_SUCCESS } from '../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../src/model/ReferenceVmbus.js';
import { median, reportTarget } from './_lib/targets.js';
import { openChannel } from './_lib/openChannel.js';

const RW = gpadlFlags(0);
const LARGEST = 100_000;
const COUNTS: readonly number[] = [100, 1_000, 10_000, LARGEST];
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 15);
/** Map+unmap pairs per timed batch: some milliseconds, which the CPU clock (in µs) resolves well. */
const PAIRS_PER_BATCH = 5_000;
/** Create+delete pairs per timed batch (a create sends its messages as bytes: some µs each). */
const LIVES_PER_BATCH = 500;

interface Population {
  readonly live: number;
  /** How many of the live GPADLs the picks fall among: all of them, or a few for the control. */
  readonly among: number;
  readonly vmbus: ReferenceVmbus;
  readonly channel: ReturnType<typeof openChannel>;
  readonly buffer: BufferHandle;
  /**
   * The GPADLs to map and unmap, in order: drawn at random before timing, and read in order while
   * timing, so the benchmark's own look-ups (a random index into a list of 10^5 handles) cost nothing.
   */
  readonly picks: readonly GpadlHandle[];
  readonly perPairUs: number[];
  /** Not the target, printed beside it: whether a GPADL's whole life also stays flat at N live. */
  readonly perLifeUs: number[];
}

/** A deterministic xorshift32 stream, so every run picks alike. */
function randomPicks(count: number, below: number, seed: number): Uint32Array {
  const picks = new Uint32Array(count);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    picks[i] = (x >>> 0) % below;
  }
  return picks;
}

function populate(live: number, among: number = live): Population {
  const vmbus = new ReferenceVmbus({ trace: false, wireBytes: true });
  const channel = openChannel(vmbus);
  const buffer = vmbus.allocateBuffer({ byteCount: 4096 }).buffer!;
  const gpadls: GpadlHandle[] = [];
  for (let i = 0; i < live; i++) {
    const created = vmbus.createGpadlFromBuffer(channel.client, RW, buffer, 4096);
    if (created.status !== STATUS_SUCCESS) throw new Error(`create ${i} of ${live} failed: 0x${created.status.toString(16)}`);
    gpadls.push(created.gpadl!);
  }
  // The control's few GPADLs are spread evenly over the N, so they lie anywhere in the tables.
  const stride = Math.floor(live / among);
  const picks = Array.from(randomPicks(PAIRS_PER_BATCH, among, 0x9e3779b9 ^ live), (pick) => gpadls[pick * stride]!);
  return { live, among, vmbus, channel, buffer, picks, perPairUs: [], perLifeUs: [] };
}

/**
 * The process's CPU time (user and system, GC threads included), not the wall clock: on a machine
 * shared with other work, a batch descheduled for a while would otherwise count the wait.
 */
function cpuMicroseconds(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function timeMapUnmap(p: Population): number {
  const { vmbus, channel: { server }, picks } = p;
  const start = cpuMicroseconds();
  for (let i = 0; i < picks.length; i++) {
    const gpadl = picks[i]!;
    if (vmbus.mapGpadl(server, RW, gpadl).status !== STATUS_SUCCESS) throw new Error(`map of ${gpadl} failed`);
    vmbus.unmapGpadl(server, gpadl);
  }
  return (cpuMicroseconds() - start) / picks.length;
}

/** One more GPADL created and deleted, N times over: the live GPADLs stay N. */
function timeCreateDelete(p: Population): number {
  const { vmbus, channel: { client }, buffer } = p;
  const start = cpuMicroseconds();
  for (let i = 0; i < LIVES_PER_BATCH; i++) {
    const gpadl = vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).gpadl!;
    if (vmbus.deleteGpadl(client, gpadl).state !== 'completed') throw new Error(`delete of ${gpadl} did not complete`);
  }
  return (cpuMicroseconds() - start) / LIVES_PER_BATCH;
}

const populations = COUNTS.map((live) => populate(live));
/**
 * The control: 10^5 live GPADLs, picks among only 100 of them. Were map or unmap to scan the live
 * GPADLs, it would be as slow as the 10^5 row; if it is as fast as the 10^2 row, what the 10^5 row
 * adds is the memory its random picks touch, not the size of any table.
 */
const control = populate(LARGEST, 100);
const all = [...populations, control];
// A warm-up round, untimed, so the JIT has settled before the first figure.
for (const p of all) {
  timeMapUnmap(p);
  timeCreateDelete(p);
}
for (let round = 0; round < rounds; round++) {
  for (const p of all) {
    p.perPairUs.push(timeMapUnmap(p));
    p.perLifeUs.push(timeCreateDelete(p));
  }
}
for (const p of all) if (p.vmbus.violations().length > 0) throw new Error(`unexpected violations at ${p.live}`);

const base = median(populations[0]!.perPairUs);
const lifeBase = median(populations[0]!.perLifeUs);
console.log(`CPU µs per pair, medians of ${rounds} interleaved rounds (${PAIRS_PER_BATCH} map+unmap of random picks, ${LIVES_PER_BATCH} create+delete of one more GPADL)`);
console.log('live GPADLs  picked among  map+unmap  vs 10^2  create+delete  vs 10^2');
for (const p of all) {
  const us = median(p.perPairUs);
  const life = median(p.perLifeUs);
  console.log(`${p.live.toLocaleString('en-US').padStart(11)}  ${p.among.toLocaleString('en-US').padStart(12)}  ${us.toFixed(3).padStart(9)}  ${(us / base).toFixed(2).padStart(6)}x  ${life.toFixed(2).padStart(13)}  ${(life / lifeBase).toFixed(2).padStart(6)}x`);
}

reportTarget({
  id: 'map-unmap-flat',
  target: 'map+unmap flat from 10^2 to 10^5 live GPADLs',
  measured: median(populations[populations.length - 1]!.perPairUs) / base,
  limit: 1.3,
  better: 'lower',
  unit: 'x',
  detail: `map+unmap CPU time per pair at 10^5 live GPADLs over at 10^2, random picks, medians of ${rounds} interleaved rounds`,
});
