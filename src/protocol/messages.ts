/**
 * The VMBus channel messages the model exchanges between guest and host, as typed values.
 *
 * One catalogue (`MESSAGE_CATALOGUE`) gives each message its wire number, its direction and the size
 * of its fixed part; the limits below are derived from it and from the 240-byte SynIC payload rather
 * than written as 26, 28 or 8190. Field names follow Linux `include/linux/hyperv.h`.
 *
 * The variable part of GPADL_HEADER and GPADL_BODY is kept as the raw range-buffer bytes (GPA range
 * headers and u64 page numbers, little-endian), exactly as they travel, so that a byte codec can be
 * added without reshaping these types, and so that a host under test can be sent malformed ranges.
 */
import type { ChannelId, GpadlHandle } from '../contract/handles.js';

export const MESSAGE_CATALOGUE = {
  OFFERCHANNEL: { msgtype: 1, direction: 'host-to-guest', fixedSize: 196 },
  RESCIND_CHANNELOFFER: { msgtype: 2, direction: 'host-to-guest', fixedSize: 12 },
  OPENCHANNEL: { msgtype: 5, direction: 'guest-to-host', fixedSize: 148 },
  OPENCHANNEL_RESULT: { msgtype: 6, direction: 'host-to-guest', fixedSize: 20 },
  CLOSECHANNEL: { msgtype: 7, direction: 'guest-to-host', fixedSize: 12 },
  GPADL_HEADER: { msgtype: 8, direction: 'guest-to-host', fixedSize: 20 },
  GPADL_BODY: { msgtype: 9, direction: 'guest-to-host', fixedSize: 16 },
  GPADL_CREATED: { msgtype: 10, direction: 'host-to-guest', fixedSize: 20 },
  GPADL_TEARDOWN: { msgtype: 11, direction: 'guest-to-host', fixedSize: 16 },
  GPADL_TORNDOWN: { msgtype: 12, direction: 'host-to-guest', fixedSize: 12 },
  RELID_RELEASED: { msgtype: 13, direction: 'guest-to-host', fixedSize: 12 },
} as const;

export type MessageName = keyof typeof MESSAGE_CATALOGUE;
export type Direction = 'guest-to-host' | 'host-to-guest';

/** HV_MESSAGE_PAYLOAD_BYTE_COUNT: a channel message never exceeds this. */
export const MAX_MESSAGE_SIZE = 240;
/** struct gpa_range without its page numbers: u32 byte_count, u32 byte_offset. */
export const GPA_RANGE_HEADER_SIZE = 8;
const PFN_SIZE = 8;
/** Page numbers that fit in a GPADL_HEADER after one range header. */
export const HEADER_PFN_CAPACITY = Math.floor(
  (MAX_MESSAGE_SIZE - MESSAGE_CATALOGUE.GPADL_HEADER.fixedSize - GPA_RANGE_HEADER_SIZE) / PFN_SIZE,
);
/** Page numbers that fit in one GPADL_BODY. */
export const BODY_PFN_CAPACITY = Math.floor((MAX_MESSAGE_SIZE - MESSAGE_CATALOGUE.GPADL_BODY.fixedSize) / PFN_SIZE);
/** range_buflen is a u16, so one range can name at most this many pages. */
export const MAX_RANGE_BUFFER_BYTES = 0xffff;
export const MAX_SINGLE_RANGE_PAGES = Math.floor((MAX_RANGE_BUFFER_BYTES - GPA_RANGE_HEADER_SIZE) / PFN_SIZE);

/**
 * Fields the model does not use are optional here and travel as zero when absent; a decoded
 * message has them all, so `decode(encode(m))` equals `m` for a message that gives every field.
 */
export interface OfferChannel {
  readonly type: 'OFFERCHANNEL';
  readonly childRelid: ChannelId;
  /** The device class (if_type), a GUID in its canonical text form. */
  readonly interfaceType?: string;
  /** The device instance (if_instance). */
  readonly interfaceInstance?: string;
  readonly channelFlags?: number;
  readonly mmioMegabytes?: number;
  /** MAX_USER_DEFINED_BYTES (120) of offer data. */
  readonly userDefined?: Uint8Array;
  readonly subChannelIndex?: number;
  readonly monitorId?: number;
  readonly monitorAllocated?: boolean;
  readonly isDedicatedInterrupt?: boolean;
  readonly connectionId?: number;
}
export interface RescindChannelOffer {
  readonly type: 'RESCIND_CHANNELOFFER';
  readonly childRelid: ChannelId;
}
export interface OpenChannel {
  readonly type: 'OPENCHANNEL';
  readonly childRelid: ChannelId;
  readonly openId: number;
  readonly ringBufferGpadlHandle: GpadlHandle;
  readonly targetVp: number;
  /** Pages of the guest-to-host ring, which comes first in the ring GPADL. */
  readonly downstreamRingBufferPageOffset: number;
  /** MAX_USER_DEFINED_BYTES (120) for the device; zero when absent. */
  readonly userData?: Uint8Array;
}
export interface OpenChannelResult {
  readonly type: 'OPENCHANNEL_RESULT';
  readonly childRelid: ChannelId;
  readonly openId: number;
  /** 0 is success; the wire value, not an API NTSTATUS. */
  readonly status: number;
}
export interface CloseChannel {
  readonly type: 'CLOSECHANNEL';
  readonly childRelid: ChannelId;
}
export interface GpadlHeader {
  readonly type: 'GPADL_HEADER';
  readonly childRelid: ChannelId;
  readonly gpadl: GpadlHandle;
  /** Bytes of all ranges (headers and page numbers), including those that follow in GPADL_BODY. */
  readonly rangeBufLen: number;
  readonly rangeCount: number;
  /** The first part of the range buffer, as many bytes as this message carries. */
  readonly rangeData: Uint8Array;
}
export interface GpadlBody {
  readonly type: 'GPADL_BODY';
  /** Reserved: every public implementation leaves it 0 (gap G16). */
  readonly msgNumber: number;
  readonly gpadl: GpadlHandle;
  /** The next part of the range buffer: u64 page numbers. */
  readonly rangeData: Uint8Array;
}
export interface GpadlCreated {
  readonly type: 'GPADL_CREATED';
  readonly childRelid: ChannelId;
  readonly gpadl: GpadlHandle;
  /** 0 is success, anything else a failure. */
  readonly creationStatus: number;
}
export interface GpadlTeardown {
  readonly type: 'GPADL_TEARDOWN';
  readonly childRelid: ChannelId;
  readonly gpadl: GpadlHandle;
}
export interface GpadlTorndown {
  readonly type: 'GPADL_TORNDOWN';
  /** No channel id: the guest matches it by gpadl alone. */
  readonly gpadl: GpadlHandle;
}
export interface RelidReleased {
  readonly type: 'RELID_RELEASED';
  readonly childRelid: ChannelId;
}

export type ChannelMessage =
  | OfferChannel
  | RescindChannelOffer
  | OpenChannel
  | OpenChannelResult
  | CloseChannel
  | GpadlHeader
  | GpadlBody
  | GpadlCreated
  | GpadlTeardown
  | GpadlTorndown
  | RelidReleased;

export type GuestToHostMessage = Extract<ChannelMessage, { type: GuestToHostName }>;
export type HostToGuestMessage = Extract<ChannelMessage, { type: HostToGuestName }>;
type GuestToHostName = { [K in MessageName]: (typeof MESSAGE_CATALOGUE)[K]['direction'] extends 'guest-to-host' ? K : never }[MessageName];
type HostToGuestName = Exclude<MessageName, GuestToHostName>;

/** The size the message has on the wire: its fixed part plus any range-buffer bytes it carries. */
export function messageSize(message: ChannelMessage): number {
  const fixed = MESSAGE_CATALOGUE[message.type].fixedSize;
  return message.type === 'GPADL_HEADER' || message.type === 'GPADL_BODY' ? fixed + message.rangeData.length : fixed;
}

export const WIRE_STATUS_SUCCESS = 0;
/** What OpenVMM puts in a failed GPADL_CREATED / OPENCHANNEL_RESULT (not NT's 0xC0000001). */
export const WIRE_STATUS_UNSUCCESSFUL = 0x8000ffff;
