/**
 * Benchmark: the life of a GPADL of 1 to 8190 pages through the reference model with every
 * channel message sent as bytes (encoded, decoded at the other end): create (GPADL_HEADER, the
 * GPADL_BODY messages, GPADL_CREATED), map, unmap, delete (GPADL_TEARDOWN, GPADL_TORNDOWN).
 *
 * Prints, per size: the time of one whole cycle, of each of its four calls, and per page; then the
 * memory each live GPADL page costs (heap growth over many live GPADLs, divided by their pages).
 *
 *   npm run build && node dist/bench/gpadlWire.js
 */
import { gpadlFlags } from '../src/contract/flags.js';
import { ReferenceVmbus } from '../src/model/ReferenceVmbus.js';

const RW = gpadlFlags(0);
const SIZES = [1, 26, 27, 54, 55, 256, 1024, 4096, 8190];
const budgetMs = Number(process.env['BENCH_MS_PER_SIZE'] ?? 400);

function open(vmbus: ReferenceVmbus) {
  const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
  const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
  vmbus.enableChannel(server);
  vmbus.enableChannel(client);
  return { server, client };
}

console.log('pages  messages  cycle µs   create µs  map µs  unmap µs  delete µs  ns/page');
// The first sizes would otherwise pay for the JIT warming up.
for (const [index, pages] of [1, 1, ...SIZES].entries()) {
  const vmbus = new ReferenceVmbus({ trace: false, wireBytes: true });
  const { server, client } = open(vmbus);
  const byteCount = pages * 4096;
  const buffer = vmbus.allocateBuffer({ byteCount }).buffer!;
  const spent = { create: 0, map: 0, unmap: 0, delete: 0 };
  let cycles = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    let t = performance.now();
    const gpadl = vmbus.createGpadlFromBuffer(client, RW, buffer, byteCount).gpadl!;
    spent.create += performance.now() - t;
    t = performance.now();
    vmbus.mapGpadl(server, RW, gpadl);
    spent.map += performance.now() - t;
    t = performance.now();
    vmbus.unmapGpadl(server, gpadl);
    spent.unmap += performance.now() - t;
    t = performance.now();
    vmbus.deleteGpadl(client, gpadl);
    spent.delete += performance.now() - t;
    cycles++;
  }
  const us = (ms: number) => ((ms * 1000) / cycles).toFixed(1).padStart(8);
  const total = spent.create + spent.map + spent.unmap + spent.delete;
  const messages = 1 + Math.max(0, Math.ceil((pages - 26) / 28)) + 3;
  if (index < 2) continue;
  console.log(`${String(pages).padStart(5)}  ${String(messages).padStart(8)}  ${us(total)}  ${us(spent.create)}  ${us(spent.map)}  ${us(spent.unmap)}  ${us(spent.delete)}  ${((total * 1e6) / cycles / pages).toFixed(0).padStart(7)}`);
}

// Memory per live page: many live 256-page GPADLs over one buffer.
const vmbus = new ReferenceVmbus({ trace: false, wireBytes: true });
const { client } = open(vmbus);
const pages = 256;
const buffer = vmbus.allocateBuffer({ byteCount: pages * 4096 }).buffer!;
// Page lists are typed arrays, whose storage Node counts in arrayBuffers, not in heapUsed.
const used = (): number => {
  globalThis.gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const before = used();
const live = 2000;
for (let i = 0; i < live; i++) vmbus.createGpadlFromBuffer(client, RW, buffer, pages * 4096);
const perPage = (used() - before) / (live * pages);
console.log(`memory: ${perPage.toFixed(1)} bytes (heap and typed arrays) per live GPADL page (${live} GPADLs of ${pages} pages${globalThis.gc ? '' : '; run with --expose-gc for a steadier figure'})`);
