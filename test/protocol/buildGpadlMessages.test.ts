import { describe, expect, it } from 'vitest';
import { channelId, gpadlHandle } from '../../src/contract/handles.js';
import { buildGpadlMessages } from '../../src/protocol/buildGpadlMessages.js';
import { BODY_PFN_CAPACITY, HEADER_PFN_CAPACITY, MAX_MESSAGE_SIZE, MAX_SINGLE_RANGE_PAGES, messageSize } from '../../src/protocol/messages.js';
import { decodeRanges } from '../../src/protocol/ranges.js';

const pages = (n: number) => Float64Array.from({ length: n }, (_, i) => 0x5000 + 3 * i);
const build = (n: number, byteOffset = 0) =>
  buildGpadlMessages(channelId(7), gpadlHandle(0xe1e10), [{ byteOffset, byteCount: n * 4096 - byteOffset, pfns: pages(n) }]);

describe('buildGpadlMessages', () => {
  it('derives the capacities from the 240-byte payload', () => {
    expect([HEADER_PFN_CAPACITY, BODY_PFN_CAPACITY, MAX_SINGLE_RANGE_PAGES]).toEqual([26, 28, 8190]);
  });

  it.each([
    // pages, messages, header size, last body size
    [1, 1, 36, undefined],
    [26, 1, 236, undefined],
    [27, 2, 236, 24],
    [54, 2, 236, 240],
    [55, 3, 236, 24],
    [8190, 293, 236, 16 + 8 * ((8190 - 26) % 28 || 28)],
  ])('%i pages travel in %i messages', (n, count, headerSize, lastBodySize) => {
    const [header, ...bodies] = build(n);
    expect(1 + bodies.length).toBe(count);
    expect(messageSize(header)).toBe(headerSize);
    expect(header.rangeBufLen).toBe(8 + 8 * n);
    expect(header.rangeCount).toBe(1);
    if (lastBodySize !== undefined) expect(messageSize(bodies.at(-1)!)).toBe(lastBodySize);
    for (const body of bodies.slice(0, -1)) expect(messageSize(body)).toBe(MAX_MESSAGE_SIZE);
    for (const body of bodies) expect([body.gpadl, body.msgNumber]).toEqual([header.gpadl, 0]);
  });

  it('puts page numbers in buffer order across header and bodies', () => {
    const [header, ...bodies] = build(60, 100);
    const joined = new Uint8Array(header.rangeBufLen);
    let at = 0;
    for (const part of [header.rangeData, ...bodies.map((b) => b.rangeData)]) {
      joined.set(part, at);
      at += part.length;
    }
    const decoded = decodeRanges(joined, 1);
    expect(decoded.ok && Array.from(decoded.ranges[0]!.pfns)).toEqual(Array.from(pages(60)));
    expect(decoded.ok && [decoded.ranges[0]!.byteOffset, decoded.ranges[0]!.byteCount]).toEqual([100, 60 * 4096 - 100]);
  });
});
