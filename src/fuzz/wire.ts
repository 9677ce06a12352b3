/**
 * The fuzzer as a VMBus guest on the wire (capability wireHost): channel messages to a host, valid
 * or near-valid, written as one line of text that both sides turn into bytes, each with its own
 * child_relid for a channel the run named ("w1" is the first channel the host offered):
 *
 *     GPADL_HEADER for GPADL 0x1001 on w1 with 30 pages from byte 12
 *     the next GPADL_BODY for GPADL 0x1001
 *     GPADL_TEARDOWN for GPADL 0x1001 on w1
 *     OPENCHANNEL on w1 with ring GPADL 0x1001
 *     CLOSECHANNEL on w1 | RELID_RELEASED on w1 | REQUESTOFFERS | UNLOAD
 *     INITIATE_CONTACT for version 0x50003
 *
 * followed, for a near-valid one, by `, cut to 20 bytes` or `, with byte 12 set to 0xff`.
 * A GPADL_HEADER's pages are numbered from its handle (page i of GPADL g is 0x100000 + g * 0x1000 + i),
 * so both sides send the same bytes; the bodies its page list needs wait in order for `the next
 * GPADL_BODY`.
 */
import fc from 'fast-check';
import { channelId, gpadlHandle, PAGE_SIZE } from '../contract/handles.js';
import { buildGpadlMessages } from '../protocol/buildGpadlMessages.js';
import { encodeMessage } from '../protocol/codec.js';
import type { ChannelMessage, GpadlBody } from '../protocol/messages.js';

export const wireChannelName = (index: number): string => `w${index + 1}`;
/** The GPADL handles the fuzzer, as the guest, chooses. */
const GPADL_BASE = 0x1001;

export type WireCommand =
  | { readonly op: 'wireOffer' }
  | { readonly op: 'wireSend'; readonly message: string }
  | { readonly op: 'wireHold' | 'wireRelease'; readonly ch: number; readonly gpadl: number }
  | { readonly op: 'wireRevoke'; readonly ch: number };

const chArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(2) });
const gpadlArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(3) });
const hexOf = (n: number) => `0x${n.toString(16)}`;
const w = (ch: number) => wireChannelName(ch);
const g = (i: number) => hexOf(GPADL_BASE + i);

/** One message as its line of text. */
function messageArb(misuse: boolean): fc.Arbitrary<string> {
  // An offset of a page or more is not a range (OpenVMM's OffsetTooLarge): misuse only.
  const offset = misuse ? fc.oneof({ weight: 8, arbitrary: fc.oneof(fc.constant(0), fc.nat(PAGE_SIZE - 1)) }, { weight: 1, arbitrary: fc.integer({ min: PAGE_SIZE, max: 2 * PAGE_SIZE - 1 }) }) : fc.oneof(fc.constant(0), fc.nat(PAGE_SIZE - 1));
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(gpadlArb, chArb, fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 26, 27, 54, 55, 200)), offset).map(([gp, ch, pages, off]) => `GPADL_HEADER for GPADL ${g(gp)} on ${w(ch)} with ${pages} pages from byte ${off}`) },
    { weight: 4, arbitrary: gpadlArb.map((gp) => `the next GPADL_BODY for GPADL ${g(gp)}`) },
    { weight: 3, arbitrary: fc.tuple(gpadlArb, chArb).map(([gp, ch]) => `GPADL_TEARDOWN for GPADL ${g(gp)} on ${w(ch)}`) },
    { weight: 2, arbitrary: fc.tuple(chArb, gpadlArb).map(([ch, gp]) => `OPENCHANNEL on ${w(ch)} with ring GPADL ${g(gp)}`) },
    { weight: 1, arbitrary: chArb.map((ch) => `CLOSECHANNEL on ${w(ch)}`) },
    { weight: 1, arbitrary: chArb.map((ch) => `RELID_RELEASED on ${w(ch)}`) },
    { weight: 1, arbitrary: fc.constantFrom('REQUESTOFFERS', 'UNLOAD') },
    { weight: 1, arbitrary: fc.constantFrom(0x0000d, 0x10000, 0x20004, 0x30000, 0x40000, 0x40001, 0x50000, 0x50002, 0x50003, 0x60000, 0x7).map((v) => `INITIATE_CONTACT for version ${hexOf(v)}`) },
  );
}
/** Near-valid: a message cut short, or with one byte changed. */
const mutationArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0, max: 60 }).map((n) => `, cut to ${n} bytes`),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => `, with byte ${at} set to ${hexOf(byte)}`),
);

export function wireCommandArb(misuse: boolean): fc.Arbitrary<WireCommand> {
  const send = misuse ? fc.tuple(messageArb(true), fc.option(mutationArb, { freq: 4, nil: '' })).map(([m, mutation]) => m + mutation) : messageArb(false);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<WireCommand>({ op: 'wireOffer' }) },
    { weight: 10, arbitrary: send.map((message): WireCommand => ({ op: 'wireSend', message })) },
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('wireHold' as const, 'wireRelease' as const), ch: chArb, gpadl: gpadlArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('wireRevoke' as const), ch: chArb }) },
  );
}

export const wireGpadl = (index: number): number => GPADL_BASE + index;

/** Turns message lines into bytes for one side: its channel ids, and the bodies GPADL_HEADERs left waiting. */
export class WireEncoder {
  private readonly bodies = new Map<number, GpadlBody[]>();

  constructor(private readonly relid: (name: string) => number) {}

  encode(line: string): Uint8Array {
    const [text = '', ...rest] = line.split(', ');
    const bytes = encodeMessage(this.message(text));
    return mutate(bytes, rest.join(', '));
  }

  private message(text: string): ChannelMessage {
    let m: RegExpExecArray | null;
    if ((m = /^GPADL_HEADER for GPADL (0x[0-9a-f]+) on (w\d+) with (\d+) pages from byte (\d+)$/.exec(text))) {
      const [gpadl, pages, offset] = [Number(m[1]), Number(m[3]), Number(m[4])];
      if (pages === 0) return { type: 'GPADL_HEADER', childRelid: channelId(this.relid(m[2]!)), gpadl: gpadlHandle(gpadl), rangeBufLen: 0, rangeCount: 0, rangeData: new Uint8Array(0) };
      const pfns = Float64Array.from({ length: pages }, (_, i) => 0x100000 + gpadl * 0x1000 + i);
      const [header, ...bodies] = buildGpadlMessages(channelId(this.relid(m[2]!)), gpadlHandle(gpadl), [{ byteOffset: offset, byteCount: pages * PAGE_SIZE - offset, pfns }]);
      this.bodies.set(gpadl, bodies);
      return header;
    }
    if ((m = /^the next GPADL_BODY for GPADL (0x[0-9a-f]+)$/.exec(text))) {
      const gpadl = Number(m[1]);
      // With no body waiting, a body of one stray page: a GPADL_BODY the host did not ask for.
      return this.bodies.get(gpadl)?.shift() ?? { type: 'GPADL_BODY', msgNumber: 0, gpadl: gpadlHandle(gpadl), rangeData: new Uint8Array(8) };
    }
    if ((m = /^GPADL_TEARDOWN for GPADL (0x[0-9a-f]+) on (w\d+)$/.exec(text))) return { type: 'GPADL_TEARDOWN', childRelid: channelId(this.relid(m[2]!)), gpadl: gpadlHandle(Number(m[1])) };
    if ((m = /^OPENCHANNEL on (w\d+) with ring GPADL (0x[0-9a-f]+)$/.exec(text))) {
      const relid = channelId(this.relid(m[1]!));
      return { type: 'OPENCHANNEL', childRelid: relid, openId: relid, ringBufferGpadlHandle: gpadlHandle(Number(m[2])), targetVp: 0, downstreamRingBufferPageOffset: 1, userData: new Uint8Array(120) };
    }
    if ((m = /^(CLOSECHANNEL|RELID_RELEASED) on (w\d+)$/.exec(text))) return { type: m[1] as 'CLOSECHANNEL' | 'RELID_RELEASED', childRelid: channelId(this.relid(m[2]!)) };
    if ((m = /^INITIATE_CONTACT for version (0x[0-9a-f]+)$/.exec(text))) return { type: 'INITIATE_CONTACT', vmbusVersionRequested: Number(m[1]), targetVcpu: 0, interruptPage: 0, monitorPage1: 0, monitorPage2: 0 };
    if (text === 'REQUESTOFFERS' || text === 'UNLOAD') return { type: text };
    throw new Error(`not a channel message the fuzzer writes: ${text}`);
  }
}

function mutate(bytes: Uint8Array, mutation: string): Uint8Array {
  let m: RegExpExecArray | null;
  if (mutation === '') return bytes;
  if ((m = /^cut to (\d+) bytes$/.exec(mutation))) return bytes.slice(0, Number(m[1]));
  if ((m = /^with byte (\d+) set to (0x[0-9a-f]+)$/.exec(mutation))) {
    const at = Number(m[1]);
    const out = at < bytes.length ? bytes.slice() : Uint8Array.from([...bytes, ...new Uint8Array(at + 1 - bytes.length)]);
    out[at] = Number(m[2]);
    return out;
  }
  throw new Error(`not a change the fuzzer makes to a message: ${mutation}`);
}
