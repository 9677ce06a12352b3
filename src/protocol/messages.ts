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
  REQUESTOFFERS: { msgtype: 3, direction: 'guest-to-host', fixedSize: 8 },
  ALLOFFERS_DELIVERED: { msgtype: 4, direction: 'host-to-guest', fixedSize: 8 },
  OPENCHANNEL: { msgtype: 5, direction: 'guest-to-host', fixedSize: 148 },
  OPENCHANNEL_RESULT: { msgtype: 6, direction: 'host-to-guest', fixedSize: 20 },
  CLOSECHANNEL: { msgtype: 7, direction: 'guest-to-host', fixedSize: 12 },
  GPADL_HEADER: { msgtype: 8, direction: 'guest-to-host', fixedSize: 20 },
  GPADL_BODY: { msgtype: 9, direction: 'guest-to-host', fixedSize: 16 },
  GPADL_CREATED: { msgtype: 10, direction: 'host-to-guest', fixedSize: 20 },
  GPADL_TEARDOWN: { msgtype: 11, direction: 'guest-to-host', fixedSize: 16 },
  GPADL_TORNDOWN: { msgtype: 12, direction: 'host-to-guest', fixedSize: 12 },
  RELID_RELEASED: { msgtype: 13, direction: 'guest-to-host', fixedSize: 12 },
  INITIATE_CONTACT: { msgtype: 14, direction: 'guest-to-host', fixedSize: 40 },
  VERSION_RESPONSE: { msgtype: 15, direction: 'host-to-guest', fixedSize: 16 },
  UNLOAD: { msgtype: 16, direction: 'guest-to-host', fixedSize: 8 },
  UNLOAD_RESPONSE: { msgtype: 17, direction: 'host-to-guest', fixedSize: 8 },
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
/** The guest asks for every current offer (after VERSION_RESPONSE); the header alone. */
export interface RequestOffers {
  readonly type: 'REQUESTOFFERS';
}
/** The host has sent an OFFERCHANNEL for every channel it offers; the header alone. */
export interface AllOffersDelivered {
  readonly type: 'ALLOFFERS_DELIVERED';
}
/**
 * The guest opens (or reopens, resetting) the connection. u64 fields are plain numbers: guest
 * physical addresses stay below 2^52, and the model reads none of them.
 */
export interface InitiateContact {
  readonly type: 'INITIATE_CONTACT';
  /** (major << 16) | minor, e.g. 0x50000 for 5.0 (Windows 10 v5). */
  readonly vmbusVersionRequested: number;
  /** The virtual processor the host sends its channel messages to. */
  readonly targetVcpu: number;
  /**
   * Before 5.0 the guest's interrupt page; from 5.0 the same 8 bytes are msg_sint (u8), msg_vtl
   * (u8), 2 reserved bytes and, from 6.0, feature_flags (u32).
   */
  readonly interruptPage: number;
  readonly monitorPage1: number;
  readonly monitorPage2: number;
}
export interface VersionResponse {
  readonly type: 'VERSION_RESPONSE';
  /** 1 if the host speaks the requested version (the connection is up), 0 if the guest must try another. */
  readonly versionSupported: number;
  /** 0 is success (OpenVMM `ConnectionState::SUCCESSFUL`). */
  readonly connectionState: number;
  /** From 5.0, the connection id the guest posts its later messages to (Linux reads it only then). */
  readonly msgConnId: number;
}
/** The guest disconnects: the host drops every channel's GPADLs and closes its channels; the header alone. */
export interface Unload {
  readonly type: 'UNLOAD';
}
/** The host finished the unload (OpenVMM `UNLOAD_COMPLETE`); the header alone. */
export interface UnloadResponse {
  readonly type: 'UNLOAD_RESPONSE';
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
  | RelidReleased
  | RequestOffers
  | AllOffersDelivered
  | InitiateContact
  | VersionResponse
  | Unload
  | UnloadResponse;

export type GuestToHostMessage = Extract<ChannelMessage, { type: GuestToHostName }>;
export type HostToGuestMessage = Extract<ChannelMessage, { type: HostToGuestName }>;
type GuestToHostName = { [K in MessageName]: (typeof MESSAGE_CATALOGUE)[K]['direction'] extends 'guest-to-host' ? K : never }[MessageName];
type HostToGuestName = Exclude<MessageName, GuestToHostName>;

export const isGuestToHost = (message: ChannelMessage): message is GuestToHostMessage => MESSAGE_CATALOGUE[message.type].direction === 'guest-to-host';
export const isHostToGuest = (message: ChannelMessage): message is HostToGuestMessage => !isGuestToHost(message);

/** The size the message has on the wire: its fixed part plus any range-buffer bytes it carries. */
export function messageSize(message: ChannelMessage): number {
  const fixed = MESSAGE_CATALOGUE[message.type].fixedSize;
  return message.type === 'GPADL_HEADER' || message.type === 'GPADL_BODY' ? fixed + message.rangeData.length : fixed;
}

export const WIRE_STATUS_SUCCESS = 0;
/** What OpenVMM puts in a failed GPADL_CREATED / OPENCHANNEL_RESULT (not NT's 0xC0000001). */
export const WIRE_STATUS_UNSUCCESSFUL = 0x8000ffff;

/** A VMBus protocol version as INITIATE_CONTACT carries it: (major << 16) | minor (OpenVMM `make_version`). */
export const vmbusVersion = (major: number, minor: number): number => ((major << 16) | minor) >>> 0;
/** Windows 10 v5 (5.0): from here on VERSION_RESPONSE names the connection id for the guest's later messages. */
export const VERSION_WIN10_V5 = vmbusVersion(5, 0);
/** VMBUS_MESSAGE_CONNECTION_ID: the connection id a host hands out in VERSION_RESPONSE (OpenVMM, Linux). */
export const MESSAGE_CONNECTION_ID = 1;
/** VERSION_RESPONSE.connection_state of a connection that came up (OpenVMM `ConnectionState::SUCCESSFUL`). */
export const CONNECTION_SUCCESSFUL = 0;
