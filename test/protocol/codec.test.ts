/**
 * The channel-message codec against golden byte vectors written out by hand from the layouts in
 * Linux `include/linux/hyperv.h` (spec LINUX-HYPERV-2 to LINUX-HYPERV-6): little-endian, packed, 8-byte header first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelId, gpadlHandle, gpadlFlags } from '../../src/contract/index.js';
import { decodeMessage, encodeMessage, guidFromBytes, guidToBytes, toHex } from '../../src/protocol/codec.js';
import { messageSize, type ChannelMessage } from '../../src/protocol/messages.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

const hex = (text: string): Uint8Array => Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const zeros = (n: number) => '00'.repeat(n);
const userData = new Uint8Array(120);
userData[0] = 0xab;
userData[119] = 0xcd;

const GOLDEN: ReadonlyArray<readonly [string, ChannelMessage, string]> = [
  ['GPADL_TORNDOWN', { type: 'GPADL_TORNDOWN', gpadl: gpadlHandle(0xe1e10) },
    '0c000000 00000000  101e0e00'],
  ['GPADL_TEARDOWN', { type: 'GPADL_TEARDOWN', childRelid: channelId(5), gpadl: gpadlHandle(0xe1e11) },
    '0b000000 00000000  05000000 111e0e00'],
  ['GPADL_CREATED (failure)', { type: 'GPADL_CREATED', childRelid: channelId(5), gpadl: gpadlHandle(0xe1e11), creationStatus: 0x8000ffff },
    '0a000000 00000000  05000000 111e0e00 ffff0080'],
  ['RELID_RELEASED', { type: 'RELID_RELEASED', childRelid: channelId(7) }, '0d000000 00000000  07000000'],
  ['CLOSECHANNEL', { type: 'CLOSECHANNEL', childRelid: channelId(7) }, '07000000 00000000  07000000'],
  ['RESCIND_CHANNELOFFER', { type: 'RESCIND_CHANNELOFFER', childRelid: channelId(7) }, '02000000 00000000  07000000'],
  ['OPENCHANNEL_RESULT', { type: 'OPENCHANNEL_RESULT', childRelid: channelId(7), openId: 1, status: 0 },
    '06000000 00000000  07000000 01000000 00000000'],
  ['OPENCHANNEL', { type: 'OPENCHANNEL', childRelid: channelId(7), openId: 1, ringBufferGpadlHandle: gpadlHandle(0xe1e10), targetVp: 0, downstreamRingBufferPageOffset: 2, userData },
    `05000000 00000000  07000000 01000000 101e0e00 00000000 02000000  ab${zeros(118)}cd`],
  // One range of 100 bytes starting 16 bytes into page 0x962d9: range_buflen 8 + 8·1.
  ['GPADL_HEADER', { type: 'GPADL_HEADER', childRelid: channelId(1), gpadl: gpadlHandle(0xe1e11), rangeBufLen: 16, rangeCount: 1, rangeData: hex('64000000 10000000 d9620900 00000000') },
    '08000000 00000000  01000000 111e0e00 1000 0100  64000000 10000000 d9620900 00000000'],
  ['GPADL_BODY', { type: 'GPADL_BODY', msgNumber: 0, gpadl: gpadlHandle(0xe1e11), rangeData: hex('34120000 00000000 01000000 01000000') },
    '09000000 00000000  00000000 111e0e00  34120000 00000000 01000000 01000000'],
  // netvsc's class GUID; Data1, Data2 and Data3 are stored little-endian.
  ['OFFERCHANNEL', {
    type: 'OFFERCHANNEL', childRelid: channelId(7), interfaceType: 'f8615163-df3e-46c5-913f-f2d2f965ed0e',
    interfaceInstance: '12345678-9abc-def0-1122-334455667788', channelFlags: 1, mmioMegabytes: 0, userDefined: new Uint8Array(120),
    subChannelIndex: 0, monitorId: 3, monitorAllocated: true, isDedicatedInterrupt: false, connectionId: 0x2007,
  }, `01000000 00000000  635161f8 3edf c546 913ff2d2f965ed0e  78563412 bc9a f0de 1122334455667788  ${zeros(16)}  0100 0000  ${zeros(120)}  0000 0000  07000000 03 01 0000 07200000`],
  // The connection's messages: four are the header alone.
  ['REQUESTOFFERS', { type: 'REQUESTOFFERS' }, '03000000 00000000'],
  ['ALLOFFERS_DELIVERED', { type: 'ALLOFFERS_DELIVERED' }, '04000000 00000000'],
  ['UNLOAD', { type: 'UNLOAD' }, '10000000 00000000'],
  ['UNLOAD_RESPONSE', { type: 'UNLOAD_RESPONSE' }, '11000000 00000000'],
  // Version 5.0 from vCPU 1, msg_sint 2 in the low byte of the interrupt-page union, a monitor page above 4 GiB.
  ['INITIATE_CONTACT', { type: 'INITIATE_CONTACT', vmbusVersionRequested: 0x50000, targetVcpu: 1, interruptPage: 2, monitorPage1: 0x123f000, monitorPage2: 0x100002000 },
    '0e000000 00000000  00000500 01000000  02000000 00000000  00f02301 00000000  00200000 01000000'],
  ['VERSION_RESPONSE', { type: 'VERSION_RESPONSE', versionSupported: 1, connectionState: 0, msgConnId: 1 },
    '0f000000 00000000  01 00 0000 01000000'],
];

describe('channel-message codec', () => {
  it.each(GOLDEN)('%s encodes to its golden bytes and decodes back', (_, message, bytes) => {
    const golden = hex(bytes);
    expect(toHex(encodeMessage(message))).toBe(toHex(golden));
    expect(golden.length).toBe(messageSize(message));
    expect(decodeMessage(golden)).toEqual({ ok: true, message });
  });

  it('writes GUIDs in Windows byte order and reads them back', () => {
    expect(toHex(guidToBytes('f8615163-df3e-46c5-913f-f2d2f965ed0e'))).toBe('635161f83edfc546913ff2d2f965ed0e');
    expect(guidFromBytes(guidToBytes('12345678-9abc-def0-1122-334455667788'))).toBe('12345678-9abc-def0-1122-334455667788');
  });

  it.each([
    ['a buffer shorter than the header', '0c0000', 'TooShort', 'header.msgtype'],
    ['an unknown type', '63000000 00000000 00000000', 'UnknownType', 'header.msgtype'],
    ['a GPADL_CREATED cut inside creation_status', '0a000000 00000000 05000000 111e0e00 ffff00', 'TooShort', 'GPADL_CREATED.creationStatus'],
    ['an OFFERCHANNEL cut inside child_relid', `01000000 00000000 ${zeros(176)} 0700`, 'TooShort', 'OFFERCHANNEL.childRelid'],
    ['bytes after a GPADL_TORNDOWN', '0c000000 00000000 101e0e00 00', 'TrailingBytes', 'GPADL_TORNDOWN'],
    ['bytes after an UNLOAD', '10000000 00000000 00000000', 'TrailingBytes', 'UNLOAD'],
    ['a VERSION_RESPONSE cut inside msg_conn_id', '0f000000 00000000 01 00 0000 0100', 'TooShort', 'VERSION_RESPONSE.msgConnId'],
    ['an INITIATE_CONTACT without monitor_page2', '0e000000 00000000 00000500 01000000 02000000 00000000 00f02301 00000000', 'TooShort', 'INITIATE_CONTACT.monitorPage2'],
    ['a payload over 240 bytes', `09000000 00000000 00000000 111e0e00 ${zeros(232)}`, 'TooLong', 'payload'],
    ['range data that is not whole u64s', '08000000 00000000 01000000 111e0e00 1000 0100 64000000 10000000 d9620900', 'TrailingBytes', 'GPADL_HEADER.rangeData'],
    ['a range_buflen that disagrees with the page count', '08000000 00000000 01000000 111e0e00 1800 0100 64000000 10000000 d9620900 00000000', 'LengthMismatch', 'GPADL_HEADER.rangeBufLen'],
    ['more ranges than range_buflen can hold', '08000000 00000000 01000000 111e0e00 1000 0300 64000000 10000000 d9620900 00000000', 'LengthMismatch', 'GPADL_HEADER.rangeCount'],
  ])('rejects %s, naming the field', (_, bytes, kind, field) => {
    const decoded = decodeMessage(hex(bytes));
    expect(decoded.ok ? 'accepted' : [decoded.error.kind, decoded.error.field]).toEqual([kind, field]);
    expect(decoded.ok || decoded.error.message.length > 10).toBe(true);
  });

  it('accepts range data beyond range_buflen, as guests that always send full messages need', () => {
    const decoded = decodeMessage(hex('08000000 00000000 01000000 111e0e00 1000 0100 64000000 10000000 d9620900 00000000 ffffffff ffffffff'));
    expect(decoded.ok && decoded.message.type === 'GPADL_HEADER' && decoded.message.rangeData.length).toBe(24);
  });

  it('round-trips arbitrary messages of every type', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const relid = u32.map(channelId);
    const gpadl = u32.map(gpadlHandle);
    const words = (max: number) => fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { maxLength: max }).map((w) => Uint8Array.from(w.flatMap((b) => [...b])));
    const bytes120 = fc.uint8Array({ minLength: 120, maxLength: 120 });
    const guid = fc.uuid();
    // u64 fields decode to numbers: addresses stay below 2^53.
    const u64 = fc.maxSafeNat();
    const message: fc.Arbitrary<ChannelMessage> = fc.oneof(
      fc.record({ type: fc.constant('GPADL_TORNDOWN' as const), gpadl }),
      fc.record({ type: fc.constant('GPADL_TEARDOWN' as const), childRelid: relid, gpadl }),
      fc.record({ type: fc.constant('GPADL_CREATED' as const), childRelid: relid, gpadl, creationStatus: u32 }),
      fc.record({ type: fc.constantFrom('RELID_RELEASED' as const, 'CLOSECHANNEL' as const, 'RESCIND_CHANNELOFFER' as const), childRelid: relid }),
      fc.record({ type: fc.constantFrom('REQUESTOFFERS' as const, 'ALLOFFERS_DELIVERED' as const, 'UNLOAD' as const, 'UNLOAD_RESPONSE' as const) }),
      fc.record({ type: fc.constant('INITIATE_CONTACT' as const), vmbusVersionRequested: u32, targetVcpu: u32, interruptPage: u64, monitorPage1: u64, monitorPage2: u64 }),
      fc.record({ type: fc.constant('VERSION_RESPONSE' as const), versionSupported: fc.integer({ min: 0, max: 255 }), connectionState: fc.integer({ min: 0, max: 255 }), msgConnId: u32 }),
      fc.record({ type: fc.constant('OPENCHANNEL_RESULT' as const), childRelid: relid, openId: u32, status: u32 }),
      fc.record({ type: fc.constant('OPENCHANNEL' as const), childRelid: relid, openId: u32, ringBufferGpadlHandle: gpadl, targetVp: u32, downstreamRingBufferPageOffset: u32, userData: bytes120 }),
      fc.record({ type: fc.constant('GPADL_BODY' as const), msgNumber: u32, gpadl, rangeData: words(28) }),
      // Zero ranges keep the header's length checks out of the way; they have their own tests.
      fc.record({ type: fc.constant('GPADL_HEADER' as const), childRelid: relid, gpadl, rangeBufLen: fc.integer({ min: 0, max: 0xffff }), rangeCount: fc.constant(0), rangeData: words(27) }),
      fc.record({
        type: fc.constant('OFFERCHANNEL' as const), childRelid: relid, interfaceType: guid, interfaceInstance: guid,
        channelFlags: fc.integer({ min: 0, max: 0xffff }), mmioMegabytes: fc.integer({ min: 0, max: 0xffff }), userDefined: bytes120,
        subChannelIndex: fc.integer({ min: 0, max: 0xffff }), monitorId: fc.integer({ min: 0, max: 255 }), monitorAllocated: fc.boolean(),
        isDedicatedInterrupt: fc.boolean(), connectionId: u32,
      }),
    );
    fc.assert(fc.property(message, (m) => {
      expect(decodeMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
    }), { seed: 42, numRuns: 500 });
  });

  it('encodes every message the reference model sends within 240 bytes, and decodes it to the same bytes', () => {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    vmbus.enableChannel(server);
    vmbus.enableChannel(client);
    for (const pages of [1, 26, 27, 55]) {
      const buffer = vmbus.allocateBuffer({ byteCount: pages * 4096 - 100, byteOffset: 100 }).buffer!;
      const gpadl = vmbus.createGpadlFromBuffer(client, gpadlFlags(0), buffer, pages * 4096 - 100).gpadl!;
      vmbus.deleteGpadl(client, gpadl);
    }
    vmbus.disableChannel(client);
    vmbus.disableChannel(server);
    const messages = vmbus.trace().flatMap((e) => (e.kind === 'message' ? [e.message] : []));
    expect(new Set(messages.map((m) => m.type)).size).toBeGreaterThanOrEqual(10);
    for (const message of messages) {
      const bytes = encodeMessage(message);
      expect(bytes.length).toBe(messageSize(message));
      const decoded = decodeMessage(bytes);
      expect(decoded.ok, `${message.type} decodes`).toBe(true);
      expect(toHex(encodeMessage((decoded as { message: ChannelMessage }).message))).toBe(toHex(bytes));
    }
  });
});
