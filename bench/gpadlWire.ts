/**
 * Benchmark: the life of a GPADL of 1 to 8190 pages through the reference model with every
 * channel message sent as bytes (encoded, decoded at the other end): create (GPADL_HEADER, the
 * GPADL_BODY messages, GPADL_CREATED), map, unmap, delete (GPADL_TEARDOWN, GPADL_TORNDOWN).
 *
 * Prints, per size: the time of one whole cycle, of each of its four calls, and per page; then the
 * memory live GPADLs keep, per page and per GPADL, and reports issue 11's `memory-per-page` target.
 *
 * What the memory figure counts: the growth of the V8 heap plus typed-array storage (after two
 * forced collections) while many GPADLs are created and kept live, divided by their pages. That is
 * everything a live GPADL keeps on both sides: the guest's record, its range list (a view of the
 * buffer's page list, not a copy), locks and waiters; the host's record, its own decoded page list
 * (8 bytes a page), its entry in the channel's GPADL table and in the guest's; with `mapped`, the
 * server's mapping and its MDL too. Any message bytes a GPADL retained would be counted; with the
 * trace off none are (with it on, the trace keeps every message by design: bench/longRunMemory).
 * Not counted: the guest buffer the GPADLs describe (the harness allocated it, with its page list,
 * before any GPADL, and all of them share it) and page contents (none are written).
 *
 *   npm run build && node --expose-gc dist/bench/gpadlWire.js
 */
import { gpadlFlags } from '../src/contract/flags.js';
import { ReferenceVmbus } from '../src/model/ReferenceVmbus.js';
import { openChannel } from './_lib/openChannel.js';
import { reportTarget } from './_lib/targets.js';

const RW = gpadlFlags(0);
const SIZES = [1, 26, 27, 54, 55, 256, 1024, 4096, 8190];
const budgetMs = Number(process.env['BENCH_MS_PER_SIZE'] ?? 400);

console.log('pages  messages  cycle µs   create µs  map µs  unmap µs  delete µs  ns/page');
// The first sizes would otherwise pay for the JIT warming up.
for (const [index, pages] of [1, 1, ...SIZES].entries()) {
  const vmbus = new ReferenceVmbus({ trace: false, wireBytes: true });
  const { server, client } = openChannel(vmbus);
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

/**
 * What live GPADLs cost: the heap and typed-array bytes that `count` GPADLs of `pages` pages keep,
 * created over one guest buffer (and, with `mapped`, each mapped by the server), per page and per
 * GPADL. Garbage is collected before each reading, so only what the GPADLs keep alive is counted.
 */
function liveCost(pages: number, count: number, mapped: boolean): { perPage: number; perGpadl: number } {
  const vmbus = new ReferenceVmbus({ trace: false, wireBytes: true });
  const { server, client } = openChannel(vmbus);
  const buffer = vmbus.allocateBuffer({ byteCount: pages * 4096 }).buffer!;
  const before = retainedBytes();
  for (let i = 0; i < count; i++) {
    const gpadl = vmbus.createGpadlFromBuffer(client, RW, buffer, pages * 4096).gpadl!;
    if (mapped) vmbus.mapGpadl(server, RW, gpadl);
  }
  const grown = retainedBytes() - before;
  if (vmbus.violations().length > 0) throw new Error('unexpected violations');
  return { perPage: grown / (count * pages), perGpadl: grown / count };
}

/**
 * Page lists are typed arrays, whose storage Node counts in arrayBuffers (when not small enough to
 * sit in the heap). A collection frees dead array buffers' storage after it returns, concurrently;
 * the second one waits for that, so garbage from before is not counted as live.
 */
function retainedBytes(): number {
  globalThis.gc!();
  globalThis.gc!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

if (globalThis.gc === undefined) throw new Error('the memory figures need --expose-gc: node --expose-gc dist/bench/gpadlWire.js');
console.log('\nmemory kept by live GPADLs (heap and typed arrays, after gc), trace off:');
const cases = [
  { pages: 256, count: 2000, mapped: false },
  { pages: 256, count: 2000, mapped: true },
  { pages: 1, count: 20000, mapped: false },
  { pages: 1, count: 20000, mapped: true },
] as const;
const costs = cases.map((c) => ({ ...c, ...liveCost(c.pages, c.count, c.mapped) }));
for (const c of costs) {
  console.log(`  ${String(c.count).padStart(6)} GPADLs of ${String(c.pages).padStart(3)} page${c.pages === 1 ? ' ' : 's'}, ${c.mapped ? 'mapped    ' : 'not mapped'}: ${c.perPage.toFixed(1).padStart(7)} B/page  ${c.perGpadl.toFixed(0).padStart(6)} B/GPADL`);
}
// The target is per page, held by a GPADL of many pages; a 1-page GPADL's figure above is its per-GPADL overhead.
const heaviest = costs.filter((c) => c.pages === 256).reduce((a, b) => (b.perPage > a.perPage ? b : a));
reportTarget({
  id: 'memory-per-page',
  target: 'model memory per live GPADL page',
  measured: heaviest.perPage,
  limit: 16,
  better: 'lower',
  unit: 'B/page',
  detail: `heap and typed arrays after gc, ${heaviest.count} live GPADLs of ${heaviest.pages} pages${heaviest.mapped ? ', mapped' : ''} (the larger of mapped and not); trace off`,
});
