/**
 * Edges of the codec, the range decoder, the wire and the migration that mutation testing
 * (docs/mutation.md) found untested: each case kills mutants that survived the suite and the
 * other unit tests.
 */
import { describe, expect, it } from 'vitest';
import { channelId, gpadlHandle, type Pfn } from '../../src/contract/handles.js';
import { GuestMemory } from '../../src/model/GuestMemory.js';
import { Migration } from '../../src/model/Migration.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { TraceLog } from '../../src/model/TraceLog.js';
import { Wire } from '../../src/model/Wire.js';
import { decodeMessage, guidToBytes } from '../../src/protocol/codec.js';
import type { GuestToHostMessage, HostToGuestMessage } from '../../src/protocol/messages.js';
import { decodeRanges, rangeByteCount, rangePageCount } from '../../src/protocol/ranges.js';

const hex = (text: string): Uint8Array => Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const u16 = (n: number) => [n & 0xff, n >> 8].map((b) => b.toString(16).padStart(2, '0')).join('');
const u32 = (n: number) => [0, 8, 16, 24].map((s) => ((n >>> s) & 0xff).toString(16).padStart(2, '0')).join('');
/** A GPADL_HEADER for channel 1, GPADL 0xE1E11, with the given range_buflen, range count and range data. */
const header = (rangeBufLen: number, rangeCount: number, rangeData = '') =>
  hex(`08000000 00000000 01000000 111e0e00 ${u16(rangeBufLen)} ${u16(rangeCount)} ${rangeData}`);
const decodeError = (bytes: Uint8Array) => {
  const decoded = decodeMessage(bytes);
  return decoded.ok ? undefined : decoded.error;
};

describe('GPADL_HEADER length checks at their edges', () => {
  it('accepts a range_buflen of exactly 8 bytes per range, and names what is needed when it is less', () => {
    expect(decodeMessage(header(16, 2)).ok).toBe(true);
    expect(decodeError(header(16, 3))).toMatchObject({ kind: 'LengthMismatch', field: 'GPADL_HEADER.rangeCount', message: '3 ranges need at least 24 bytes, range_buflen is 16' });
  });

  it('checks one range against range_buflen as soon as its 8-byte range header is there', () => {
    // 100 bytes at offset 16: one page, so range_buflen must be 16; the page number follows in a body.
    expect(decodeError(header(24, 1, `${u32(100)} ${u32(16)}`))).toMatchObject({
      kind: 'LengthMismatch',
      field: 'GPADL_HEADER.rangeBufLen',
      message: 'one range of 100 bytes at offset 16 spans 1 pages, so range_buflen must be 16, not 24',
    });
    expect(decodeMessage(header(16, 1, `${u32(100)} ${u32(16)}`)).ok).toBe(true);
  });

  it('leaves a range whose offset is a whole page or more to the host (RangeTooSmall is its check)', () => {
    expect(decodeMessage(header(24, 1, `${u32(100)} ${u32(4096)}`)).ok).toBe(true);
  });

  it('says how many bytes follow a fixed-size message', () => {
    expect(decodeError(hex('0c000000 00000000 101e0e00 0000'))?.message).toBe('GPADL_TORNDOWN is 12 bytes, 2 more follow it');
  });
});

describe('GUIDs', () => {
  it.each([
    ['a character that is not hex', 'g8615163-df3e-46c5-913f-f2d2f965ed0e'],
    ['one hex digit too many in front', '0f8615163-df3e-46c5-913f-f2d2f965ed0e'],
    ['one hex digit too many at the end', 'f8615163-df3e-46c5-913f-f2d2f965ed0e0'],
  ])('refuses %s', (_, guid) => {
    expect(() => guidToBytes(guid)).toThrow(new RangeError(`not a GUID: ${guid}`));
  });
});

describe('range buffers', () => {
  it('reports a range whose header fits but whose page numbers do not as RangeTooSmall', () => {
    expect(decodeRanges(hex(`${u32(100)} ${u32(0)}`), 1)).toEqual({ ok: false, error: { kind: 'RangeTooSmall', range: 0, needed: 1, available: 0 } });
  });

  it('counts the bytes and the pages of ranges', () => {
    const ranges = [
      { byteOffset: 0, byteCount: 4096, pfns: Float64Array.of(7) },
      { byteOffset: 10, byteCount: 5000, pfns: Float64Array.of(8, 9) },
    ];
    expect([rangeByteCount(ranges), rangePageCount(ranges)]).toEqual([9096, 3]);
  });
});

describe('the wire', () => {
  const tornDown = (n: number): HostToGuestMessage => ({ type: 'GPADL_TORNDOWN', gpadl: gpadlHandle(n) });

  it('runs whenIdle at once when nothing is being delivered, else after the messages queued', () => {
    const trace = new TraceLog(true);
    const wire = new Wire(trace);
    const seen: string[] = [];
    wire.connect({
      host: () => undefined,
      guest: (message) => {
        seen.push(`guest ${message.type === 'GPADL_TORNDOWN' ? message.gpadl : ''}`);
        if (message.type === 'GPADL_TORNDOWN' && message.gpadl === 1) {
          wire.whenIdle(() => seen.push('idle'));
          wire.toGuest(tornDown(2));
        }
      },
    });
    wire.whenIdle(() => seen.push('at once'));
    wire.toGuest(tornDown(1));
    expect(seen).toEqual(['at once', 'guest 1', 'guest 2', 'idle']);
    // Without bytes, the trace holds the message values alone.
    expect(trace.events).toEqual([
      { kind: 'message', direction: 'host-to-guest', message: tornDown(1) },
      { kind: 'message', direction: 'host-to-guest', message: tornDown(2) },
    ]);
  });

  it('refuses a message over the 240-byte payload, saying so', () => {
    const wire = new Wire(new TraceLog(false), true);
    const body: GuestToHostMessage = { type: 'GPADL_BODY', msgNumber: 0, gpadl: gpadlHandle(1), rangeData: new Uint8Array(232) };
    expect(() => wire.toHost(body)).toThrow('GPADL_BODY of 248 bytes exceeds the 240-byte payload');
  });

  it('a disabled trace records nothing, and a model without wire bytes traces messages as values', () => {
    const off = new TraceLog(false);
    off.record({ kind: 'message', direction: 'host-to-guest', message: tornDown(1) });
    expect(off.events).toEqual([]);
    const vmbus = new ReferenceVmbus({ wireBytes: false });
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    vmbus.enableChannel(server);
    const offer = vmbus.trace().find((e) => e.kind === 'message');
    expect(offer).toEqual({ kind: 'message', direction: 'host-to-guest', message: expect.objectContaining({ type: 'OFFERCHANNEL', childRelid: channelId(1) }) });
    expect(offer).not.toHaveProperty('bytes');
  });
});

describe('the migration', () => {
  it('does not count a page the host wrote zeros into as missed, and counts one it wrote bytes into', () => {
    const memory = new GuestMemory();
    const [zeros, bytes] = memory.allocatePages(2)!;
    const migration = new Migration(memory);
    memory.writeExtents([{ pfn: zeros as Pfn, offset: 0, length: 4 }], new Uint8Array(4));
    memory.writeExtents([{ pfn: bytes as Pfn, offset: 0, length: 4 }], Uint8Array.of(1, 2, 3, 4));
    expect([...migration.finish([]).missed]).toEqual([bytes]);
  });

  it('keeps the saved bytes of a page when the guest writes it again after the migration', () => {
    const memory = new GuestMemory();
    const pfns = memory.allocatePages(1)!;
    const span = { byteOffset: 0, byteCount: 4096, pfns };
    const migration = new Migration(memory);
    memory.write(span, 0, Uint8Array.of(1));
    migration.finish([]);
    memory.write(span, 0, Uint8Array.of(2));
    expect(migration.savedPage(pfns[0]!)[0]).toBe(1);
    expect(migration.readSaved(span, 0, 2)).toEqual(Uint8Array.of(1, 0));
  });
});

describe('a single-range GPADL_HEADER without its range header', () => {
  it('is accepted: the header alone cannot check it (the range header follows in a body)', () => {
    expect(decodeMessage(header(16, 1)).ok).toBe(true);
  });
});
