/**
 * Benchmark: KMCL calls per second through the reference model in process, the figure the
 * differential fuzzer lives on. It reports no issue-11 target: the fuzzer's (200k checked
 * operations per second) counts the looks after each call too and is bench/fuzzThroughput's, and a
 * long run's memory is bench/longRunMemory's (the heap printed here is read without a collection).
 *
 * Each cycle is create (3 pages, unaligned) → map → delete (pending) → unmap → operationState:
 * five calls, four channel messages. Runs for a fixed time with the trace off and on, messages as
 * typed values or encoded to bytes and decoded (the default), and prints
 * operations per second and the heap after the run (a heap that grows with the number of
 * operations would show here).
 *
 *   npm run bench             (after a build)
 *   BENCH_SECONDS=5 npm run bench
 */
import { gpadlFlags } from '../src/contract/flags.js';
import { ReferenceVmbus } from '../src/model/ReferenceVmbus.js';
import { openChannel } from './_lib/openChannel.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 2);
const RW = gpadlFlags(0);

function run(trace: boolean, wireBytes: boolean): { opsPerSecond: number; heapMb: number } {
  const vmbus = new ReferenceVmbus({ trace, wireBytes });
  const { server, client } = openChannel(vmbus);
  const byteCount = 3 * 4096;
  const buffer = vmbus.allocateBuffer({ byteCount, byteOffset: 100 }).buffer!;
  let operations = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 1000; i++) {
      const gpadl = vmbus.createGpadlFromBuffer(client, RW, buffer, byteCount).gpadl!;
      vmbus.mapGpadl(server, RW, gpadl);
      const deleting = vmbus.deleteGpadl(client, gpadl);
      vmbus.unmapGpadl(server, gpadl);
      if (vmbus.operationState(deleting.operation) !== 'completed') throw new Error('delete did not complete on unmap');
    }
    operations += 5000;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { opsPerSecond: operations / elapsed, heapMb: process.memoryUsage().heapUsed / 1e6 };
}

for (const [trace, wireBytes] of [[false, false], [false, true], [true, true]] as const) {
  const { opsPerSecond, heapMb } = run(trace, wireBytes);
  const label = `trace ${trace ? 'on ' : 'off'}, messages as ${wireBytes ? 'bytes ' : 'values'}`;
  console.log(`model, ${label}: ${Math.round(opsPerSecond / 1000)}k operations/s, heap ${heapMb.toFixed(0)} MB after ${seconds} s`);
}
