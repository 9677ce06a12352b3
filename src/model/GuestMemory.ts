/**
 * Guest physical memory in 4 KiB pages, and the guest buffers the harness allocates in it.
 *
 * Pages are sparse: a page's bytes exist only once something writes to it. Page frame numbers are
 * handed out in a scrambled (but deterministic) order, so a multi-page buffer is never physically
 * contiguous: an implementation that computes "first PFN + i" instead of reading the page list is
 * caught by the MDL rules.
 */
import type { PageExtent } from '../contract/halves.js';
import { PAGE_SIZE, pagesSpanned, type BufferHandle, type Pfn } from '../contract/handles.js';

const PFN_BASE = 0x10000;
const PFN_SPACE_BITS = 20;
const PFN_SPACE = 1 << PFN_SPACE_BITS;

/** A contiguous run of bytes in guest virtual space, over a list of (non-contiguous) pages. */
export interface PageSpan {
  /** Offset of the first byte within the first page. */
  readonly byteOffset: number;
  readonly byteCount: number;
  readonly pfns: Float64Array;
}

export interface GuestBuffer extends PageSpan {
  readonly handle: BufferHandle;
  /** How many live GPADLs (and GPADLs being created or torn down) describe this buffer. */
  lockCount: number;
}

/** Who wrote: the guest itself (its writes are dirty-logged), or the host through a mapping (not). */
export type Writer = 'guest' | 'host';

export class GuestMemory {
  private readonly pages = new Map<number, Uint8Array>();
  private allocated = 0;
  /**
   * Pages the guest wrote since dirty logging started, as a hypervisor's dirty-page log would show
   * them; null while nobody is logging. The host's own writes into guest memory (through a mapped
   * GPADL) never appear here: that is why migration must treat server-writable pages as dirty.
   */
  private dirtyLog: Set<number> | null = null;

  startDirtyLog(): void {
    this.dirtyLog = new Set();
  }

  /** The pages the guest dirtied since the log started (or since the last take), and a fresh log. */
  takeDirtyLog(): Set<number> {
    const dirty = this.dirtyLog ?? new Set<number>();
    this.dirtyLog = new Set();
    return dirty;
  }

  stopDirtyLog(): void {
    this.dirtyLog = null;
  }

  /** A page's bytes, or undefined for a page never written (it reads as zeros). */
  pageBytes(frame: number): Uint8Array | undefined {
    return this.pages.get(frame);
  }

  /** Every page frame that has bytes (pages never written read as zeros). */
  *writtenPages(): IterableIterator<[number, Uint8Array]> {
    yield* this.pages;
  }

  get pagesAllocated(): number {
    return this.allocated;
  }

  /** Undefined when guest memory (2^20 pages, 4 GiB) is exhausted. */
  allocatePages(count: number): Float64Array | undefined {
    if (this.allocated + count > PFN_SPACE) return undefined;
    const pfns = new Float64Array(count);
    for (let i = 0; i < count; i++) pfns[i] = PFN_BASE + scramble(this.allocated++);
    return pfns;
  }

  /** Copies `length` bytes of `span`, starting `offset` bytes into it, into `into` at `at`. */
  read(span: PageSpan, offset: number, length: number, into: Uint8Array, at: number): void {
    this.walk(span, offset, length, (page, inPage, n, done) => {
      if (page === undefined) into.fill(0, at + done, at + done + n);
      else into.set(page.subarray(inPage, inPage + n), at + done);
    }, false);
  }

  write(span: PageSpan, offset: number, data: Uint8Array, writer: Writer = 'guest'): void {
    const log = writer === 'guest' ? this.dirtyLog : null;
    this.walk(span, offset, data.length, (page, inPage, n, done, frame) => {
      page!.set(data.subarray(done, done + n), inPage);
      log?.add(frame);
    }, true);
  }

  private walk(
    span: PageSpan,
    offset: number,
    length: number,
    visit: (page: Uint8Array | undefined, inPage: number, n: number, done: number, frame: number) => void,
    create: boolean,
  ): void {
    forEachPage(span, offset, length, (frame, inPage, n, done) => {
      let page = this.pages.get(frame);
      if (page === undefined && create) this.pages.set(frame, (page = new Uint8Array(PAGE_SIZE)));
      visit(page, inPage, n, done, frame);
    });
  }

  /** True for a page frame this memory handed out: the only pages a host may reach by number. */
  isAllocated(frame: number): boolean {
    const index = frame - PFN_BASE;
    return Number.isInteger(index) && index >= 0 && index < PFN_SPACE && unscramble(index) < this.allocated;
  }

  /** The host's reach into guest memory by page frame number (DMA); false if a page is not guest memory. */
  readExtents(extents: readonly PageExtent[], into: Uint8Array): boolean {
    if (!extents.every((e) => this.isAllocated(e.pfn))) return false;
    let done = 0;
    for (const e of extents) {
      const page = this.pages.get(e.pfn);
      if (page === undefined) into.fill(0, done, done + e.length);
      else into.set(page.subarray(e.offset, e.offset + e.length), done);
      done += e.length;
    }
    return true;
  }

  /** A write by page frame number: the host's, so never in the guest's dirty log. */
  writeExtents(extents: readonly PageExtent[], data: Uint8Array): boolean {
    if (!extents.every((e) => this.isAllocated(e.pfn))) return false;
    let done = 0;
    for (const e of extents) {
      let page = this.pages.get(e.pfn);
      if (page === undefined) this.pages.set(e.pfn, (page = new Uint8Array(PAGE_SIZE)));
      page.set(data.subarray(done, done + e.length), e.offset);
      done += e.length;
    }
    return true;
  }
}

/** Visits, page by page, the bytes of `span` from `offset` for `length`. */
function forEachPage(span: PageSpan, offset: number, length: number, visit: (frame: number, inPage: number, n: number, done: number) => void): void {
  let done = 0;
  let position = span.byteOffset + offset;
  while (done < length) {
    const pageIndex = Math.floor(position / PAGE_SIZE);
    const inPage = position % PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - inPage, length - done);
    visit(span.pfns[pageIndex]!, inPage, n, done);
    done += n;
    position += n;
  }
}

/** Where the bytes of `span` from `offset` for `length` lie, one extent per page, in order. */
export function pageExtents(span: PageSpan, offset: number, length: number, into: PageExtent[] = []): PageExtent[] {
  forEachPage(span, offset, length, (frame, inPage, n) => into.push({ pfn: frame as Pfn, offset: inPage, length: n }));
  return into;
}

/** A bijection on [0, 2^20): an odd multiplier is invertible modulo a power of two. */
const SCRAMBLE_MULTIPLIER = 0x9e3779b1;
const SCRAMBLE_ADDEND = 0x7f4a7c15;
function scramble(index: number): number {
  return (Math.imul(index, SCRAMBLE_MULTIPLIER) + SCRAMBLE_ADDEND) & (PFN_SPACE - 1);
}

/** The multiplier's inverse modulo 2^32 by Newton's iteration (each step doubles the correct bits). */
const SCRAMBLE_INVERSE = (() => {
  let x = SCRAMBLE_MULTIPLIER;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(SCRAMBLE_MULTIPLIER, x));
  return x;
})();
function unscramble(scrambled: number): number {
  return Math.imul(scrambled - SCRAMBLE_ADDEND, SCRAMBLE_INVERSE) & (PFN_SPACE - 1);
}

/** The pages of `span` that hold its bytes from `offset` for `length`, as a span of their own. */
export function subSpan(span: PageSpan, offset: number, length: number): PageSpan {
  const start = span.byteOffset + offset;
  const firstPage = Math.floor(start / PAGE_SIZE);
  const byteOffset = start % PAGE_SIZE;
  const pageCount = pagesSpanned(byteOffset, length);
  // All of the page list (a GPADL over its whole buffer, the usual case) is the list itself: a view
  // of it would cost each live GPADL a typed-array object of its own (a page list never changes).
  const whole = firstPage === 0 && pageCount === span.pfns.length;
  return { byteOffset, byteCount: length, pfns: whole ? span.pfns : span.pfns.subarray(firstPage, firstPage + pageCount) };
}

/**
 * The spans that `length` bytes from `startOffset` of a chain of spans (an MDL chain) occupy: one per
 * span the bytes touch, with the index of that span in the chain. This is how a GPADL's ranges
 * follow from an MDL chain (choice G11).
 */
export function sliceChain(chain: readonly PageSpan[], startOffset: number, length: number): Array<{ readonly part: number; readonly span: PageSpan }> {
  const out: Array<{ part: number; span: PageSpan }> = [];
  let skip = startOffset;
  let left = length;
  for (const [part, span] of chain.entries()) {
    if (left === 0) break;
    if (skip >= span.byteCount) {
      skip -= span.byteCount;
      continue;
    }
    const n = Math.min(span.byteCount - skip, left);
    out.push({ part, span: subSpan(span, skip, n) });
    left -= n;
    skip = 0;
  }
  return out;
}

export const chainByteCount = (chain: readonly PageSpan[]): number => chain.reduce((sum, span) => sum + span.byteCount, 0);

/** Finds the span holding byte `offset` of a chain and the offset within it. */
export function locateInChain(chain: readonly PageSpan[], offset: number, length: number, visit: (span: PageSpan, offset: number, n: number, done: number) => void): void {
  let skip = offset;
  let done = 0;
  for (const span of chain) {
    if (done === length) break;
    if (skip >= span.byteCount) {
      skip -= span.byteCount;
      continue;
    }
    const n = Math.min(span.byteCount - skip, length - done);
    visit(span, skip, n, done);
    done += n;
    skip = 0;
  }
}
