/**
 * GPA ranges: what a GPADL describes, and their encoding in a range buffer.
 *
 * On the wire a range is {u32 byte_count, u32 byte_offset} followed by one u64 page number per page
 * spanned. `encodeRanges` builds the range buffer a guest sends; `decodeRanges` is the host's check
 * of it (after OpenVMM `vmbus_ring/src/gparange.rs`), returning a named error instead of throwing.
 */
import { PAGE_SIZE, pagesSpanned, type Pfn } from '../contract/handles.js';
import { GPA_RANGE_HEADER_SIZE } from './messages.js';

export interface GpaRange {
  readonly byteOffset: number;
  readonly byteCount: number;
  /** Page numbers in buffer order; a typed array so that 8190-page GPADLs stay cheap. */
  readonly pfns: Float64Array;
}

export type GpaRangeError =
  | { readonly kind: 'EmptyRange'; readonly range: number }
  | { readonly kind: 'EmptyByteCount'; readonly range: number }
  | { readonly kind: 'OffsetTooLarge'; readonly range: number; readonly byteOffset: number }
  | { readonly kind: 'RangeTooSmall'; readonly range: number; readonly needed: number; readonly available: number };

export function rangeBufferLength(ranges: readonly GpaRange[]): number {
  let length = 0;
  for (const range of ranges) length += GPA_RANGE_HEADER_SIZE + 8 * range.pfns.length;
  return length;
}

export function encodeRanges(ranges: readonly GpaRange[]): Uint8Array {
  const bytes = new Uint8Array(rangeBufferLength(ranges));
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const range of ranges) {
    view.setUint32(at, range.byteCount, true);
    view.setUint32(at + 4, range.byteOffset, true);
    at += GPA_RANGE_HEADER_SIZE;
    for (const page of range.pfns) {
      view.setUint32(at, page % 0x1_0000_0000, true);
      view.setUint32(at + 4, Math.floor(page / 0x1_0000_0000), true);
      at += 8;
    }
  }
  return bytes;
}

export type DecodedRanges = { readonly ok: true; readonly ranges: GpaRange[] } | { readonly ok: false; readonly error: GpaRangeError };

export function decodeRanges(bytes: Uint8Array, rangeCount: number): DecodedRanges {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ranges: GpaRange[] = [];
  let at = 0;
  for (let range = 0; range < rangeCount; range++) {
    if (at + GPA_RANGE_HEADER_SIZE > bytes.length) return { ok: false, error: { kind: 'EmptyRange', range } };
    const byteCount = view.getUint32(at, true);
    const byteOffset = view.getUint32(at + 4, true);
    at += GPA_RANGE_HEADER_SIZE;
    if (byteCount === 0) return { ok: false, error: { kind: 'EmptyByteCount', range } };
    if (byteOffset >= PAGE_SIZE) return { ok: false, error: { kind: 'OffsetTooLarge', range, byteOffset } };
    const needed = pagesSpanned(byteOffset, byteCount);
    const available = Math.floor((bytes.length - at) / 8);
    if (available < needed) return { ok: false, error: { kind: 'RangeTooSmall', range, needed, available } };
    const pfns = new Float64Array(needed);
    for (let i = 0; i < needed; i++, at += 8) pfns[i] = view.getUint32(at, true) + view.getUint32(at + 4, true) * 0x1_0000_0000;
    ranges.push({ byteOffset, byteCount, pfns });
  }
  return { ok: true, ranges };
}

export const rangeByteCount = (ranges: readonly GpaRange[]): number => ranges.reduce((sum, r) => sum + r.byteCount, 0);
export const rangePageCount = (ranges: readonly GpaRange[]): number => ranges.reduce((sum, r) => sum + r.pfns.length, 0);
export const pfnsOf = (range: GpaRange): Pfn[] => Array.from(range.pfns) as Pfn[];
