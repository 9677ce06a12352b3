/**
 * Guest memory at its edges: exhaustion, the host's reach by page frame number, sparse pages, the
 * dirty log and the walk over an MDL chain. Mutation testing (docs/mutation.md) found these
 * untested by the suite, which reaches them only through valid calls of the whole model.
 */
import { describe, expect, it } from 'vitest';
import type { Pfn } from '../../src/contract/handles.js';
import { GuestMemory, locateInChain, type PageSpan } from '../../src/model/GuestMemory.js';

const span = (pfns: Float64Array, byteOffset = 0, byteCount = pfns.length * 4096 - byteOffset): PageSpan => ({ byteOffset, byteCount, pfns });

describe('guest memory', () => {
  it('hands out exactly 2^20 pages, then none', () => {
    const memory = new GuestMemory();
    expect(memory.allocatePages(1)).toHaveLength(1);
    expect(memory.pagesAllocated).toBe(1);
    expect(memory.allocatePages(2 ** 20)).toBeUndefined();
    expect(memory.allocatePages(2 ** 20 - 1)).toHaveLength(2 ** 20 - 1);
    expect(memory.pagesAllocated).toBe(2 ** 20);
    expect(memory.allocatePages(1)).toBeUndefined();
  });

  it('knows the page frames it handed out, and no others', () => {
    const memory = new GuestMemory();
    const [first, second] = memory.allocatePages(2)!;
    expect([memory.isAllocated(first!), memory.isAllocated(second!)]).toEqual([true, true]);
    const other = new GuestMemory();
    other.allocatePages(2);
    const [third] = other.allocatePages(1)!;
    expect(memory.isAllocated(third!)).toBe(false);
    expect(memory.isAllocated(first! + 0.5)).toBe(false);
    expect(memory.isAllocated(0x10000 - 1)).toBe(false);
    expect(memory.isAllocated(0x10000 + 2 ** 20)).toBe(false);
  });

  it('with every page handed out, still refuses frames outside guest memory', () => {
    const memory = new GuestMemory();
    memory.allocatePages(2 ** 20);
    expect([0x10000, 0x10000 + 2 ** 20 - 1].map((f) => memory.isAllocated(f))).toEqual([true, true]);
    expect([0x10000 - 1, 0x10000 + 2 ** 20, 0x10000 + 0.5].map((f) => memory.isAllocated(f))).toEqual([false, false, false]);
  });

  it('lets the host read and write by page frame number only pages it handed out', () => {
    const memory = new GuestMemory();
    const [a, b] = memory.allocatePages(2)! as unknown as Pfn[];
    const out = new Uint8Array(6).fill(0xff);
    expect(memory.writeExtents([{ pfn: 0x5 as Pfn, offset: 0, length: 1 }], Uint8Array.of(9))).toBe(false);
    expect(memory.readExtents([{ pfn: 0x5 as Pfn, offset: 0, length: 1 }], out)).toBe(false);
    expect([...memory.writtenPages()]).toEqual([]);
    expect(memory.readExtents([{ pfn: a!, offset: 0, length: 1 }, { pfn: 0x5 as Pfn, offset: 0, length: 1 }], out)).toBe(false);
    expect(memory.writeExtents([{ pfn: a!, offset: 0, length: 1 }, { pfn: 0x5 as Pfn, offset: 0, length: 1 }], Uint8Array.of(1, 2))).toBe(false);
    expect([...memory.writtenPages()]).toEqual([]);
    expect(memory.writeExtents([{ pfn: a!, offset: 4094, length: 2 }, { pfn: b!, offset: 1, length: 2 }], Uint8Array.of(1, 2, 3, 4))).toBe(true);
    expect(memory.writeExtents([{ pfn: a!, offset: 0, length: 1 }], Uint8Array.of(5))).toBe(true);
    // A page never written reads as zeros.
    const fresh = memory.allocatePages(1)! as unknown as Pfn[];
    expect(memory.readExtents([{ pfn: b!, offset: 0, length: 3 }, { pfn: fresh[0]!, offset: 7, length: 1 }, { pfn: a!, offset: 0, length: 2 }], out)).toBe(true);
    expect([...out]).toEqual([0, 3, 4, 0, 5, 0]);
    expect(memory.readExtents([{ pfn: a!, offset: 4094, length: 2 }], out)).toBe(true);
    expect([...out.subarray(0, 2)]).toEqual([1, 2]);
    // The host's writes are not the guest's: they never reach its dirty log.
    memory.startDirtyLog();
    memory.writeExtents([{ pfn: a!, offset: 0, length: 1 }], Uint8Array.of(6));
    expect([...memory.takeDirtyLog()]).toEqual([]);
  });

  it('keeps pages sparse: reading creates none, and a second write keeps the first', () => {
    const memory = new GuestMemory();
    const s = span(memory.allocatePages(2)!);
    const into = new Uint8Array(8).fill(0xff);
    memory.read(s, 4094, 4, into, 2);
    expect([...into]).toEqual([0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff]);
    expect([...memory.writtenPages()]).toEqual([]);
    memory.write(s, 0, Uint8Array.of(1));
    memory.write(s, 1, Uint8Array.of(2));
    memory.read(s, 0, 2, into, 0);
    expect([...into.subarray(0, 2)]).toEqual([1, 2]);
  });

  it('logs the guest own writes only between startDirtyLog and stopDirtyLog', () => {
    const memory = new GuestMemory();
    const pfns = memory.allocatePages(2)!;
    const s = span(pfns);
    memory.startDirtyLog();
    memory.write(s, 4096, Uint8Array.of(1));
    expect([...memory.takeDirtyLog()]).toEqual([pfns[1]]);
    memory.stopDirtyLog();
    memory.write(s, 0, Uint8Array.of(1));
    expect([...memory.takeDirtyLog()]).toEqual([]);
  });
});

describe('locateInChain', () => {
  const pfns = Float64Array.of(1, 2, 3);
  const chain = [span(pfns.subarray(0, 1), 0, 10), span(pfns.subarray(1, 2), 0, 10), span(pfns.subarray(2, 3), 0, 10)];
  const visits = (offset: number, length: number) => {
    const seen: Array<[number, number, number, number]> = [];
    locateInChain(chain, offset, length, (s, at, n, done) => seen.push([s.pfns[0]!, at, n, done]));
    return seen;
  };

  it('starts in the span holding the first byte, even at a span boundary', () => {
    expect(visits(10, 5)).toEqual([[2, 0, 5, 0]]);
  });

  it('crosses spans, and stops once the length is covered', () => {
    expect(visits(5, 10)).toEqual([[1, 5, 5, 0], [2, 0, 5, 5]]);
    expect(visits(0, 3)).toEqual([[1, 0, 3, 0]]);
  });
});
