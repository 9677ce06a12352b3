/**
 * The guest the suite plays against a host under test (capability `wireHost`).
 *
 * Messages are built as typed values (src/protocol/messages.ts) and sent as their encoding; the
 * host's replies are decoded and kept per step, so that Then steps assert on typed fields. A
 * channel is named in the features by a number ("channel 1" is the first channel the host offered,
 * whatever id it chose); a number that names no offered channel travels as it is (an unknown
 * channel). GPADL ids are the guest's to choose and travel as written.
 */
import assert from 'node:assert/strict';
import { channelId as toChannelId, gpadlHandle, hex, PAGE_SIZE, type ChannelId, type NtStatus } from '../../src/contract/index.js';
import type { VmbusImplementation } from '../../src/contract/index.js';
import { buildGpadlMessages } from '../../src/protocol/buildGpadlMessages.js';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec.js';
import { GPA_RANGE_HEADER_SIZE, MESSAGE_CATALOGUE, VERSION_WIN10_V5, vmbusVersion, type ChannelMessage, type GpadlBody, type GpadlHeader, type GuestToHostMessage, type HostToGuestMessage } from '../../src/protocol/messages.js';
import { encodeRanges, type GpaRange } from '../../src/protocol/ranges.js';
import type { VmbusWorld } from './world.js';

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** The openid the guest puts in every OPENCHANNEL; the result must echo it. */
export const OPEN_ID = 0x5eed;

/**
 * The versions the guest offers when it reconnects, newest first, until the host accepts one: Linux
 * `vmbus_versions` (drivers/hv/connection.c) without 6.0, whose longer VERSION_RESPONSE the suite
 * does not read.
 */
const GUEST_VERSIONS = [vmbusVersion(5, 3), vmbusVersion(5, 2), vmbusVersion(5, 1), vmbusVersion(5, 0), vmbusVersion(4, 1), vmbusVersion(4, 0), vmbusVersion(3, 0), vmbusVersion(2, 4)];
/** VMBUS_MESSAGE_SINT: from 5.0 the guest names in INITIATE_CONTACT the SINT it takes messages on (Linux). */
const MESSAGE_SINT = 2;

/** A range of `pages` whole pages at made-up page numbers (the host never touches guest memory). */
export function pagesRange(pages: number, firstPfn = 0x10000): GpaRange {
  return { byteOffset: 0, byteCount: pages * PAGE_SIZE, pfns: Float64Array.from({ length: pages }, (_, i) => firstPfn + 3 * i) };
}

type HostMethods = Required<Pick<VmbusImplementation, 'hostOffer' | 'hostReceive' | 'hostHold' | 'hostRelease' | 'hostRevoke'>>;

function hostMethods(impl: VmbusImplementation): HostMethods {
  const { hostOffer, hostReceive, hostHold, hostRelease, hostRevoke } = impl;
  if (hostOffer === undefined || hostReceive === undefined || hostHold === undefined || hostRelease === undefined || hostRevoke === undefined) {
    throw new Error(`${impl.info.name} claims wireHost but lacks a host* method`);
  }
  return { hostOffer: hostOffer.bind(impl), hostReceive: hostReceive.bind(impl), hostHold: hostHold.bind(impl), hostRelease: hostRelease.bind(impl), hostRevoke: hostRevoke.bind(impl) };
}

export class WireHostGuest {
  private readonly offered = new Map<number, ChannelId>();
  /** The GPADL_BODY messages of a GPADL whose header went out and whose bodies have not all. */
  private readonly unsent = new Map<number, GpadlBody[]>();
  /** The host's replies in the last When step (or Given step), decoded. */
  private replies: HostToGuestMessage[] = [];
  private holdStatus: NtStatus | undefined;

  constructor(private readonly world: VmbusWorld) {}

  /** The host methods of the implementation they were checked on, bound once (a step uses them many times). */
  private host: { readonly of: VmbusImplementation; readonly methods: HostMethods } | undefined;

  private get impl(): HostMethods {
    const impl = this.world.impl;
    if (this.host?.of !== impl) this.host = { of: impl, methods: hostMethods(impl) };
    return this.host.methods;
  }

  /** The channel a feature's number names. */
  private readonly instances = new Map<number, string>();

  channel(number: number): ChannelId {
    const offered = this.offered.get(number);
    if (offered !== undefined) return offered;
    if ([...this.offered.values()].includes(number as ChannelId)) throw new Error(`channel ${number} was meant to be unknown, but the host gave that id to an offered channel`);
    return toChannelId(number);
  }

  // ---------------------------------------------------------------- what the host does

  async offer(number: number): Promise<void> {
    const { channelId, replies } = await this.impl.hostOffer();
    assert.ok(!this.offered.has(number), `channel ${number} is offered twice in the scenario`);
    this.offered.set(number, channelId);
    this.replies = replies.map(decodeReply);
    const offers = this.replies.filter((m) => m.type === 'OFFERCHANNEL');
    assert.equal(offers.length, 1, `the offer sent ${offers.length} OFFERCHANNEL messages`);
    assert.equal(offers[0]!.childRelid, channelId, 'the OFFERCHANNEL names the channel the offer returned');
    this.instances.set(number, offers[0]!.interfaceInstance ?? ZERO_GUID);
  }

  /** The instance GUID the OFFERCHANNEL of a feature's channel carried. */
  instance(number: number): string {
    const instance = this.instances.get(number);
    if (instance === undefined) throw new Error(`channel ${number} was not offered in this scenario`);
    return instance;
  }

  async revoke(number: number): Promise<void> {
    this.replies = (await this.impl.hostRevoke(this.channel(number))).replies.map(decodeReply);
  }

  async hold(number: number, gpadl: number): Promise<void> {
    this.holdStatus = await this.impl.hostHold(this.channel(number), gpadlHandle(gpadl));
  }

  lastHoldStatus(): NtStatus {
    assert.ok(this.holdStatus !== undefined, 'no device tried to hold a GPADL');
    return this.holdStatus;
  }

  async release(number: number, gpadl: number): Promise<NtStatus> {
    const { status, replies } = await this.impl.hostRelease(this.channel(number), gpadlHandle(gpadl));
    this.replies = replies.map(decodeReply);
    return status;
  }

  // ---------------------------------------------------------------- what the guest sends

  /** Starts a step: its replies are what the messages it sends cause. */
  beginStep(): void {
    this.replies = [];
  }

  async sendBytes(bytes: Uint8Array): Promise<void> {
    const { replies } = await this.impl.hostReceive(bytes);
    this.replies.push(...replies.map(decodeReply));
  }

  async send(message: GuestToHostMessage): Promise<void> {
    await this.sendBytes(encodeMessage(message));
  }

  /** The header of a well-formed GPADL of `pages` pages; its bodies wait in {@link unsent}. */
  async sendHeader(number: number, gpadl: number, pages: number, padTo?: number): Promise<void> {
    const [header, ...bodies] = buildGpadlMessages(this.channel(number), gpadlHandle(gpadl), [pagesRange(pages)]);
    // A second header for an id whose bodies are still to come (a duplicate) leaves them to come.
    if (bodies.length > 0) this.unsent.set(gpadl, bodies);
    await this.sendBytes(padded(header, padTo));
  }

  /** A header with exactly these ranges, or with this raw range buffer, all in the one message. */
  async sendRawHeader(number: number, gpadl: number, rangeCount: number, rangeData: Uint8Array, rangeBufLen = rangeData.length): Promise<void> {
    await this.send({ type: 'GPADL_HEADER', childRelid: this.channel(number), gpadl: gpadlHandle(gpadl), rangeBufLen, rangeCount, rangeData });
  }

  async sendRanges(number: number, gpadl: number, ranges: readonly GpaRange[]): Promise<void> {
    await this.sendRawHeader(number, gpadl, ranges.length, encodeRanges(ranges));
  }

  /** One range whose page list is `pfnCount` page numbers, whatever its byte count and offset say. */
  async sendOneRange(number: number, gpadl: number, byteCount: number, byteOffset: number, pfnCount: number): Promise<void> {
    await this.sendRanges(number, gpadl, [{ byteCount, byteOffset, pfns: Float64Array.from({ length: pfnCount }, (_, i) => 0x20000 + i) }]);
  }

  bodiesLeft(gpadl: number): number {
    return this.unsent.get(gpadl)?.length ?? 0;
  }

  async sendNextBody(gpadl: number, padTo?: number): Promise<void> {
    const body = this.unsent.get(gpadl)?.shift();
    if (body === undefined) throw new Error(`no GPADL_BODY of GPADL ${hex(gpadl)} is left to send`);
    await this.sendBytes(padded(body, padTo));
  }

  /** A GPADL_BODY with page numbers for a GPADL id, outside any header the scenario sent. */
  async sendStrayBody(gpadl: number, pages: number): Promise<void> {
    const rangeData = encodeRanges([pagesRange(pages)]).subarray(GPA_RANGE_HEADER_SIZE);
    await this.send({ type: 'GPADL_BODY', msgNumber: 0, gpadl: gpadlHandle(gpadl), rangeData });
  }

  /** Sends the header and every body, and checks that the host accepted the GPADL. */
  async createGpadl(number: number, gpadl: number, pages: number): Promise<void> {
    this.beginStep();
    await this.sendHeader(number, gpadl, pages);
    while (this.bodiesLeft(gpadl) > 0) await this.sendNextBody(gpadl);
    this.expectCreated(number, gpadl, 'success');
  }

  async openChannel(number: number, ring: number, downstreamPageOffset: number): Promise<void> {
    await this.send({
      type: 'OPENCHANNEL',
      childRelid: this.channel(number),
      openId: OPEN_ID,
      ringBufferGpadlHandle: gpadlHandle(ring),
      targetVp: 0,
      downstreamRingBufferPageOffset: downstreamPageOffset,
    });
  }

  // ---------------------------------------------------------------- the connection

  async initiateContact(version: number): Promise<void> {
    // From 5.0 the interrupt-page field carries msg_sint instead (Linux `vmbus_negotiate_version`).
    const interruptPage = version >= VERSION_WIN10_V5 ? MESSAGE_SINT : 0;
    await this.send({ type: 'INITIATE_CONTACT', vmbusVersionRequested: version, targetVcpu: 0, interruptPage, monitorPage1: 0, monitorPage2: 0 });
  }

  /** As Linux connects: INITIATE_CONTACT from the newest version down until one is accepted, then REQUESTOFFERS. */
  async reconnect(): Promise<void> {
    let accepted = false;
    for (const version of GUEST_VERSIONS) {
      this.beginStep();
      await this.initiateContact(version);
      const reply = this.only();
      assert.equal(reply.type, 'VERSION_RESPONSE', `the host answered INITIATE_CONTACT with ${describe(reply)}`);
      accepted = reply.versionSupported !== 0;
      if (accepted) break;
    }
    assert.ok(accepted, `the host accepted none of the versions ${GUEST_VERSIONS.map(hex).join(', ')}`);
    this.beginStep();
    await this.send({ type: 'REQUESTOFFERS' });
    const lines = this.describeReplies().join('; ') || 'nothing';
    assert.equal(this.replies.at(-1)?.type, 'ALLOFFERS_DELIVERED', `REQUESTOFFERS was not answered with offers and ALLOFFERS_DELIVERED (${lines})`);
    assert.ok(this.replies.slice(0, -1).every((m) => m.type === 'OFFERCHANNEL'), `REQUESTOFFERS was answered with more than offers (${lines})`);
  }

  // ---------------------------------------------------------------- what the host answered

  lastReplies(): readonly HostToGuestMessage[] {
    return this.replies;
  }

  expectNothing(): void {
    assert.deepEqual(this.replies.map(describe), [], 'the host answered, where it must answer nothing');
  }

  /** Exactly one reply, a GPADL_CREATED for this channel and GPADL, with a success or a failure status. */
  expectCreated(number: number, gpadl: number, outcome: 'success' | 'failure'): void {
    const reply = this.only();
    assert.equal(reply.type, 'GPADL_CREATED', `the host answered ${describe(reply)}, not GPADL_CREATED`);
    assert.equal(reply.childRelid, this.channel(number), 'GPADL_CREATED names the channel of the GPADL_HEADER');
    assert.equal(reply.gpadl, gpadl, 'GPADL_CREATED names the GPADL of the GPADL_HEADER');
    if (outcome === 'success') assert.equal(reply.creationStatus, 0, `GPADL_CREATED for ${hex(gpadl)} has status ${hex(reply.creationStatus)}, not 0`);
    else assert.notEqual(reply.creationStatus, 0, `GPADL_CREATED for ${hex(gpadl)} has status 0 (success), not a failure`);
  }

  /** Nothing the host answered accepts the GPADL (a failure reply and silence both count). */
  expectNotAccepted(gpadl: number): void {
    const accepted = this.replies.filter((m) => m.type === 'GPADL_CREATED' && m.gpadl === gpadl && m.creationStatus === 0);
    assert.deepEqual(accepted.map(describe), [], `the host accepted GPADL ${hex(gpadl)}`);
  }

  expectTorndown(gpadl: number): void {
    const reply = this.only();
    assert.equal(reply.type, 'GPADL_TORNDOWN', `the host answered ${describe(reply)}, not GPADL_TORNDOWN`);
    assert.equal(reply.gpadl, gpadl, 'GPADL_TORNDOWN names the GPADL of the GPADL_TEARDOWN');
  }

  expectOpenResult(number: number, outcome: 'success' | 'failure'): void {
    const reply = this.only();
    assert.equal(reply.type, 'OPENCHANNEL_RESULT', `the host answered ${describe(reply)}, not OPENCHANNEL_RESULT`);
    assert.equal(reply.childRelid, this.channel(number), 'OPENCHANNEL_RESULT names the channel of the OPENCHANNEL');
    assert.equal(reply.openId, OPEN_ID, 'OPENCHANNEL_RESULT echoes the openid of the OPENCHANNEL');
    if (outcome === 'success') assert.equal(reply.status, 0, `OPENCHANNEL_RESULT has status ${hex(reply.status)}, not 0`);
    else assert.notEqual(reply.status, 0, 'OPENCHANNEL_RESULT has status 0 (success), not a failure');
  }

  expectUnloadResponse(): void {
    const reply = this.only();
    assert.equal(reply.type, 'UNLOAD_RESPONSE', `the host answered ${describe(reply)}, not UNLOAD_RESPONSE`);
  }

  /** Exactly one VERSION_RESPONSE; an accepted version comes with connection_state 0 (success). */
  expectVersionResponse(outcome: 'accepted' | 'refused', msgConnId?: number): void {
    const reply = this.only();
    assert.equal(reply.type, 'VERSION_RESPONSE', `the host answered ${describe(reply)}, not VERSION_RESPONSE`);
    if (outcome === 'refused') {
      assert.equal(reply.versionSupported, 0, 'VERSION_RESPONSE accepts the version');
      return;
    }
    assert.notEqual(reply.versionSupported, 0, 'VERSION_RESPONSE refuses the version');
    assert.equal(reply.connectionState, 0, `VERSION_RESPONSE has connection_state ${reply.connectionState}, not 0 (success)`);
    if (msgConnId !== undefined) assert.equal(reply.msgConnId, msgConnId, `VERSION_RESPONSE names connection id ${hex(reply.msgConnId)}, not ${hex(msgConnId)}`);
  }

  /** The replies, in order, as `TYPE channel gpadl status` lines (see {@link describe}). */
  describeReplies(): string[] {
    return this.replies.map(describe);
  }

  private only(): HostToGuestMessage {
    assert.equal(this.replies.length, 1, `the host answered ${this.replies.length} messages (${this.replies.map(describe).join(', ') || 'none'}), not one`);
    return this.replies[0]!;
  }
}

/** A message padded with zero page numbers (whole u64s) to a total size, as some guests send full messages. */
function padded(message: GpadlHeader | GpadlBody, padTo: number | undefined): Uint8Array {
  const bytes = encodeMessage(message);
  if (padTo === undefined) return bytes;
  if (padTo < bytes.length || (padTo - bytes.length) % 8 !== 0) throw new Error(`cannot pad a ${bytes.length}-byte ${message.type} to ${padTo} bytes with whole page numbers`);
  const out = new Uint8Array(padTo);
  out.set(bytes);
  return out;
}

function decodeReply(bytes: Uint8Array): HostToGuestMessage {
  const decoded = decodeMessage(bytes);
  assert.ok(decoded.ok, `the host sent bytes that are not a channel message: ${decoded.ok ? '' : decoded.error.message}`);
  const message: ChannelMessage = decoded.message;
  assert.ok(MESSAGE_CATALOGUE[message.type].direction === 'host-to-guest', `the host sent ${message.type}, a guest-to-host message`);
  return message as HostToGuestMessage;
}

/** `GPADL_CREATED 1 0xE1E10 0x0`: the message and the fields a table row compares. */
export function describe(message: HostToGuestMessage): string {
  switch (message.type) {
    case 'GPADL_CREATED':
      return `GPADL_CREATED channel ${message.childRelid} gpadl ${hex(message.gpadl)} status ${hex(message.creationStatus)}`;
    case 'GPADL_TORNDOWN':
      return `GPADL_TORNDOWN gpadl ${hex(message.gpadl)}`;
    case 'OPENCHANNEL_RESULT':
      return `OPENCHANNEL_RESULT channel ${message.childRelid} status ${hex(message.status)}`;
    case 'RESCIND_CHANNELOFFER':
    case 'OFFERCHANNEL':
      return `${message.type} channel ${message.childRelid}`;
    case 'VERSION_RESPONSE':
      return `VERSION_RESPONSE supported ${message.versionSupported} state ${message.connectionState} conn ${hex(message.msgConnId)}`;
    case 'ALLOFFERS_DELIVERED':
    case 'UNLOAD_RESPONSE':
      return message.type;
  }
}

const sessions = new WeakMap<VmbusWorld, WireHostGuest>();

/** The scenario's guest, made on first use. */
export function wireHost(world: VmbusWorld): WireHostGuest {
  let session = sessions.get(world);
  if (session === undefined) {
    session = new WireHostGuest(world);
    sessions.set(world, session);
  }
  return session;
}
