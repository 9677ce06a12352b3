/**
 * Benchmark (issue 11, memory): a long run's memory stays flat.
 *
 * Cycles of KMCL calls through the reference model in process, as a long fuzzing run makes them:
 * a channel keeps a window of live GPADLs; each cycle creates one (read-only every other time, so
 * the read-only attribute's path is exercised too), maps it, unmaps it, and deletes the oldest in
 * the window. Four calls a cycle, messages as bytes (the default). At every tenth of the run the
 * heap (V8 heap plus typed-array storage) is read after garbage collection.
 *
 * With the trace off, nothing should grow: the target `long-run-memory` is the heap at the end over
 * the heap after the first tenth. With the trace on, the trace keeps every call and every message
 * by design (it is what the report shows), so the heap grows with the run; that growth is printed
 * per operation, apart from the target.
 *
 *   npm run build && node --expose-gc dist/bench/longRunMemory.js
 *   BENCH_OPERATIONS=4000000 node --expose-gc dist/bench/longRunMemory.js
 */
import { gpadlFlags, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY } from '../src/contract/flags.js';
import type { GpadlHandle } from '../src/contract/handles.js';
import { STATUS_SUCCESS } from '../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../src/model/ReferenceVmbus.js';
import { openChannel } from './_lib/openChannel.js';
import { reportTarget } from './_lib/targets.js';

const RW = gpadlFlags(0);
const operations = Number(process.env['BENCH_OPERATIONS'] ?? 1_000_000);
const CALLS_PER_CYCLE = 4;
const WINDOW = 64;
const READINGS = 10;

/** Heap and typed-array bytes still reachable; the second collection waits for freed array buffers. */
function retainedBytes(): number {
  globalThis.gc!();
  globalThis.gc!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Runs `operations` calls and returns the retained bytes read after each tenth of them. */
function run(trace: boolean, operations: number): number[] {
  const vmbus = new ReferenceVmbus({ trace, wireBytes: true });
  const { server, client } = openChannel(vmbus);
  const pages = 3;
  const buffer = vmbus.allocateBuffer({ byteCount: pages * 4096, byteOffset: 100 }).buffer!;
  const live: GpadlHandle[] = [];
  const readings: number[] = [];
  const cycles = Math.floor(operations / CALLS_PER_CYCLE);
  const cyclesPerReading = Math.floor(cycles / READINGS);
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const flags = cycle % 2 === 0 ? VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY : RW;
    const created = vmbus.createGpadlFromBuffer(client, flags, buffer, pages * 4096);
    if (created.status !== STATUS_SUCCESS) throw new Error(`create failed: 0x${created.status.toString(16)}`);
    const gpadl = created.gpadl!;
    if (vmbus.mapGpadl(server, flags, gpadl).status !== STATUS_SUCCESS) throw new Error('map failed');
    vmbus.unmapGpadl(server, gpadl);
    live.push(gpadl);
    if (live.length > WINDOW) {
      const deleting = vmbus.deleteGpadl(client, live.shift()!);
      if (deleting.state !== 'completed') throw new Error('delete of an unmapped GPADL did not complete');
    }
    if (cycle % cyclesPerReading === 0) readings.push(retainedBytes());
  }
  if (vmbus.violations().length > 0) throw new Error('unexpected violations');
  return readings;
}

if (globalThis.gc === undefined) throw new Error('this benchmark needs --expose-gc: node --expose-gc dist/bench/longRunMemory.js');
const mb = (bytes: number): string => (bytes / 1e6).toFixed(2).padStart(8);

const start = performance.now();
const off = run(false, operations);
const seconds = (performance.now() - start) / 1000;
console.log(`trace off, ${operations.toLocaleString('en-US')} calls (${(operations / seconds / 1000).toFixed(0)}k/s with the readings): retained MB at each tenth`);
console.log(`  ${off.map(mb).join(' ')}`);
const growth = off[off.length - 1]! / off[0]!;

// The trace keeps everything: a tenth of the run is enough to see how much per call.
const traced = Math.floor(operations / 10);
const on = run(true, traced);
const perCall = (on[on.length - 1]! - on[0]!) / (traced * 0.9);
console.log(`trace on, ${traced.toLocaleString('en-US')} calls: retained MB at each tenth`);
console.log(`  ${on.map(mb).join(' ')}`);
console.log(`  the trace grows the heap by ${perCall.toFixed(0)} bytes per call (every call, return and message is kept; there is no bounded mode)`);

reportTarget({
  id: 'long-run-memory',
  target: "a long run's memory flat (trace off)",
  measured: growth,
  limit: 1.1,
  better: 'lower',
  unit: 'x',
  detail: `heap and typed arrays after gc at the end of ${operations.toLocaleString('en-US')} calls over after the first tenth; create, map, unmap, delete with ${WINDOW} GPADLs live`,
});
