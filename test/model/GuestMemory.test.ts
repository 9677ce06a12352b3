import { describe, expect, it } from 'vitest';
import { GuestMemory, subSpan } from '../../src/model/GuestMemory.js';

describe('subSpan', () => {
  const pfns = new GuestMemory().allocatePages(3)!;
  const buffer = { byteOffset: 100, byteCount: 3 * 4096 - 100, pfns };

  it('of all of a span is its page list itself, not a view of it (a live GPADL over its whole buffer keeps no list of its own)', () => {
    const all = subSpan(buffer, 0, buffer.byteCount);
    expect(all).toEqual({ byteOffset: 100, byteCount: buffer.byteCount, pfns });
    expect(all.pfns).toBe(pfns);
  });

  it('of part of a span holds only the pages that part lies in', () => {
    const part = subSpan(buffer, 4096, 10);
    expect(part.byteOffset).toBe(100);
    expect(part.byteCount).toBe(10);
    expect(Array.from(part.pfns)).toEqual([pfns[1]]);
  });
});
