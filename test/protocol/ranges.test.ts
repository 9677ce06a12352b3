import { describe, expect, it } from 'vitest';
import { decodeRanges, encodeRanges } from '../../src/protocol/ranges.js';

const header = (byteCount: number, byteOffset: number, pfns: number[]) => {
  const bytes = new Uint8Array(8 + 8 * pfns.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, byteCount, true);
  view.setUint32(4, byteOffset, true);
  pfns.forEach((p, i) => view.setUint32(8 + 8 * i, p, true));
  return bytes;
};

describe('GPA range validation (OpenVMM gparange.rs)', () => {
  it('round-trips several ranges, including a page number above 2^32', () => {
    const ranges = [
      { byteOffset: 0, byteCount: 8192, pfns: Float64Array.of(1, 2) },
      { byteOffset: 0xfff, byteCount: 2, pfns: Float64Array.of(0x1_2345_6789, 4) },
    ];
    const decoded = decodeRanges(encodeRanges(ranges), 2);
    expect(decoded).toEqual({ ok: true, ranges });
  });

  it('accepts zero ranges in an empty buffer', () => {
    expect(decodeRanges(new Uint8Array(0), 0)).toEqual({ ok: true, ranges: [] });
  });

  it.each([
    ['EmptyRange', new Uint8Array(4), 1],
    ['EmptyByteCount', header(0, 0, [1]), 1],
    ['OffsetTooLarge', header(1, 0x1000, [1]), 1],
    ['RangeTooSmall', header(4097, 0, [1]), 1],
    ['RangeTooSmall', header(2, 0xfff, [1]), 1],
  ])('rejects %s', (kind, bytes, count) => {
    const decoded = decodeRanges(bytes, count);
    expect(decoded.ok ? 'accepted' : decoded.error.kind).toBe(kind);
  });
});
