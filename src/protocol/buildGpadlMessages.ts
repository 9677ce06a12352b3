/**
 * Splits a GPADL's range buffer over one GPADL_HEADER and as many GPADL_BODY messages as needed.
 *
 * The header carries as many whole u64s of the range buffer as fit after its fixed part (one range
 * header and 26 page numbers for a single range), each body as many as fit after its own (28).
 * Building is kept apart from posting, as Linux's `create_gpadl_header` does.
 */
import type { ChannelId, GpadlHandle } from '../contract/handles.js';
import { MAX_MESSAGE_SIZE, MESSAGE_CATALOGUE, type GpadlBody, type GpadlHeader } from './messages.js';
import { encodeRanges, type GpaRange } from './ranges.js';

const wholeWords = (bytes: number): number => Math.floor(bytes / 8) * 8;
export const HEADER_DATA_CAPACITY = wholeWords(MAX_MESSAGE_SIZE - MESSAGE_CATALOGUE.GPADL_HEADER.fixedSize);
export const BODY_DATA_CAPACITY = wholeWords(MAX_MESSAGE_SIZE - MESSAGE_CATALOGUE.GPADL_BODY.fixedSize);

export function buildGpadlMessages(childRelid: ChannelId, gpadl: GpadlHandle, ranges: readonly GpaRange[]): [GpadlHeader, ...GpadlBody[]] {
  const rangeBuffer = encodeRanges(ranges);
  const header: GpadlHeader = {
    type: 'GPADL_HEADER',
    childRelid,
    gpadl,
    rangeBufLen: rangeBuffer.length,
    rangeCount: ranges.length,
    rangeData: rangeBuffer.subarray(0, HEADER_DATA_CAPACITY),
  };
  const bodies: GpadlBody[] = [];
  for (let at = HEADER_DATA_CAPACITY; at < rangeBuffer.length; at += BODY_DATA_CAPACITY) {
    bodies.push({ type: 'GPADL_BODY', msgNumber: 0, gpadl, rangeData: rangeBuffer.subarray(at, at + BODY_DATA_CAPACITY) });
  }
  return [header, ...bodies];
}
