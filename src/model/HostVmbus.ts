/**
 * The host's VMBus control plane for GPADLs and channels, after OpenVMM `vmbus_server/src/channels.rs`.
 *
 * It receives the guest's channel messages, keeps a GPADL table per channel (keyed by GPADL id, so
 * the same id may live on two channels) plus the connection-wide set of GPADLs still in progress
 * (GPADL_BODY carries no channel id), and answers with GPADL_CREATED, GPADL_TORNDOWN and
 * OPENCHANNEL_RESULT. GPADL_TORNDOWN is held back while the server has the GPADL mapped or an open
 * channel uses it as its ring buffer (choice G13). It also keeps the guest's connection (UNLOAD,
 * INITIATE_CONTACT, REQUESTOFFERS; choice G30) and takes the suite's directives to refuse or hold
 * back its answers (capability hostControl).
 */
import type { HostDirective } from '../contract/Implementation.js';
import { channelId as toChannelId, PAGE_SIZE, type ChannelId, type GpadlHandle } from '../contract/handles.js';
import { assertNever } from './assertNever.js';
import {
  CONNECTION_SUCCESSFUL,
  MESSAGE_CONNECTION_ID,
  VERSION_WIN10_V5,
  vmbusVersion,
  WIRE_STATUS_SUCCESS,
  WIRE_STATUS_UNSUCCESSFUL,
  type CloseChannel,
  type GpadlBody,
  type GpadlHeader,
  type GpadlTeardown,
  type GuestToHostMessage,
  type OfferChannel,
  type InitiateContact,
  type OpenChannel,
  type RelidReleased,
} from '../protocol/messages.js';
import { decodeRanges, type GpaRange, type GpaRangeError } from '../protocol/ranges.js';
import { decodeMessage, encodeMessage } from '../protocol/codec.js';
import { isGuestToHost } from '../protocol/messages.js';
import { InternalError } from './InternalError.js';
import { Sideband } from './Sideband.js';
import { TraceLog } from './TraceLog.js';
import { Wire } from './Wire.js';

export type HostGpadlState =
  /** The guest sent GPADL_HEADER; the rest of the range buffer is still to come in GPADL_BODY. */
  | { readonly kind: 'InProgress'; readonly rangeBuffer: Uint8Array; filled: number }
  /** The whole range buffer arrived and was valid, and the host holds back GPADL_CREATED (hostControl `deferGpadl`). */
  | { readonly kind: 'Deferred' }
  /** The whole range buffer arrived and was valid; the guest was sent GPADL_CREATED(success). */
  | { readonly kind: 'Accepted' }
  /** The guest sent GPADL_TEARDOWN; GPADL_TORNDOWN waits until nothing on the host uses the GPADL. */
  | { readonly kind: 'TearingDown' };

export interface HostGpadl {
  readonly id: GpadlHandle;
  readonly channel: HostChannel;
  readonly rangeCount: number;
  state: HostGpadlState;
  ranges: readonly GpaRange[];
  readOnly: boolean;
  /** The server's one KMCL mapping of it (single-mapping rule). */
  mapped: boolean;
  /** Devices on the host using it (OpenVMM views, `hostHold`): GPADL_TORNDOWN waits for every one. */
  holds: number;
}

export type HostChannelState =
  /** Offered to the guest and not open (again so after CLOSECHANNEL). */
  | 'Offered'
  /** The guest's OPENCHANNEL succeeded. */
  | 'Open'
  /** The host rescinded the offer; GPADLs stay until the guest tears them down or releases the channel. */
  | 'Revoked';

export interface HostChannel {
  readonly id: ChannelId;
  state: HostChannelState;
  /** The ring-buffer GPADL named by the OPENCHANNEL that opened the channel, while it is open. */
  ring: HostGpadl | null;
  readonly gpadls: Map<GpadlHandle, HostGpadl>;
  /** How the host answers the guest's next requests, in the order the suite gave them (capability hostControl). */
  readonly directives: HostDirective[];
}

/** Why the host refused or ignored a message: turned into a reply (or nothing) in one place. */
export type ChannelError =
  | { readonly kind: 'UnknownChannelId'; readonly channel: ChannelId }
  | { readonly kind: 'DuplicateGpadlId'; readonly gpadl: GpadlHandle }
  | { readonly kind: 'InvalidGpaRange'; readonly gpadl: GpadlHandle; readonly error: GpaRangeError }
  | { readonly kind: 'UnknownGpadlId'; readonly gpadl: GpadlHandle }
  | { readonly kind: 'InvalidGpadlState'; readonly gpadl: GpadlHandle; readonly state: HostGpadlState['kind'] }
  | { readonly kind: 'InvalidChannelState'; readonly channel: ChannelId; readonly state: HostChannelState }
  | { readonly kind: 'InvalidRingGpadl'; readonly channel: ChannelId; readonly reason: string }
  /** Not an error of the guest: the suite told the host to refuse (capability hostControl). */
  | { readonly kind: 'Directed'; readonly channel: ChannelId; readonly directive: HostDirective }
  /** Outside a connection only INITIATE_CONTACT is heard (OpenVMM parses nothing else without a version). */
  | { readonly kind: 'NotConnected'; readonly message: GuestToHostMessage['type'] }
  | { readonly kind: 'OffersAlreadySent' };

/** What the host's KMCL (the server endpoints) hears about a channel. */
export interface HostListener {
  opened(channel: ChannelId): void;
  closed(channel: ChannelId): void;
}

/**
 * The guest's connection, after OpenVMM `ConnectionState`. A host starts Connected with its offers
 * sent, as if the guest had already sent INITIATE_CONTACT and REQUESTOFFERS: that is where the
 * suite's scenarios start (choice G30).
 */
export type HostConnection =
  /** A version was agreed; REQUESTOFFERS is answered once per connection. */
  | { readonly kind: 'Connected'; offersSent: boolean }
  /** UNLOAD or a new INITIATE_CONTACT tore the guest's side down; `then` waits until no GPADL it tore down is in use. */
  | { readonly kind: 'Disconnecting'; readonly then: DisconnectAction }
  /** Only INITIATE_CONTACT is heard. */
  | { readonly kind: 'Disconnected' };

/** What a disconnect ends with: UNLOAD's answer, or the version answer of the INITIATE_CONTACT that reset the connection. */
export type DisconnectAction = { readonly kind: 'UnloadResponse' } | { readonly kind: 'Reconnect'; readonly request: InitiateContact };

/**
 * The versions the host speaks: OpenVMM's up to 5.3 (Iron). 6.0 (Copper) is refused, since its
 * answer is the longer VERSION_RESPONSE with feature flags that the model does not speak (G30).
 */
export const HOST_VERSIONS: readonly number[] = [
  vmbusVersion(0, 13), vmbusVersion(1, 1), vmbusVersion(2, 4), vmbusVersion(3, 0), vmbusVersion(4, 0),
  vmbusVersion(4, 1), vmbusVersion(5, 0), vmbusVersion(5, 1), vmbusVersion(5, 2), vmbusVersion(5, 3),
];

export class HostVmbus {
  protected readonly channels = new Map<ChannelId, HostChannel>();
  private readonly inProgress = new Map<GpadlHandle, HostGpadl>();
  private nextChannelId = 1;
  private connection: HostConnection = { kind: 'Connected', offersSent: true };
  /** GPADLs a disconnect tore down that a device or the server still uses (OPENVMM-CHANNELS-14). */
  private readonly draining = new Set<HostGpadl>();
  /**
   * GPADLs gone for good (a revoke's GPADL_TORNDOWN, a RELID_RELEASED) while devices still hold
   * views of them: nothing waits for those views, and dropping one succeeds and sends nothing
   * (OpenVMM: dropping a `GpadlView` never fails; the teardown it lets go finds no GPADL).
   */
  private readonly orphaned = new Set<HostGpadl>();
  /** Every refusal, for unit tests and debugging. */
  readonly errors: ChannelError[] = [];

  constructor(
    protected readonly wire: Wire,
    private readonly sideband: Sideband,
    private readonly listener: HostListener,
  ) {}

  channel(id: ChannelId): HostChannel | undefined {
    return this.channels.get(id);
  }

  offer(): ChannelId {
    const id = toChannelId(this.nextChannelId++);
    this.channels.set(id, { id, state: 'Offered', ring: null, gpadls: new Map(), directives: [] });
    // A guest that has not asked for the offers yet (or is not connected) hears of it at REQUESTOFFERS.
    if (this.guestHasOffers()) this.wire.toGuest(this.offerMessage(id));
    return id;
  }

  /**
   * The OFFERCHANNEL of a channel. Each device gets an instance GUID of its own, as a real host gives
   * it: Linux's `vmbus_onoffer` looks an offer up by its instance GUID (`find_primary_channel_by_offer`,
   * for resuming from hibernation), so two offers with one GUID are taken as one device offered
   * again, the second taking over the first channel (seen in the run against Linux; WHOST-29).
   */
  protected offerMessage(id: ChannelId): OfferChannel {
    return { type: 'OFFERCHANNEL', childRelid: id, interfaceInstance: `5f1e0a11-0000-4000-8000-${id.toString(16).padStart(12, '0')}` };
  }

  private guestHasOffers(): boolean {
    return this.connection.kind === 'Connected' && this.connection.offersSent;
  }

  /**
   * VmbChannelDisable on the server: rescind, and answer what the guest is still waiting for; only
   * the rescind when the suite said `revokeSilently` (what is held back then stays held back).
   */
  revoke(id: ChannelId): void {
    const channel = this.channels.get(id);
    if (channel === undefined || channel.state === 'Revoked') return;
    // A guest that was never offered the channel has nothing to release: it just goes (OpenVMM sends nothing).
    if (!this.guestHasOffers()) return void this.channels.delete(id);
    const silent = channel.directives.includes('revokeSilently');
    channel.state = 'Revoked';
    channel.ring = null;
    channel.directives.length = 0;
    this.wire.toGuest({ type: 'RESCIND_CHANNELOFFER', childRelid: id });
    if (silent) return;
    for (const gpadl of [...channel.gpadls.values()]) {
      switch (gpadl.state.kind) {
        case 'TearingDown':
          this.tornDown(gpadl);
          break;
        case 'Deferred':
          // A complete GPADL still awaiting the host's acknowledgement is refused (OpenVMM `revoke`; WHOST-20).
          channel.gpadls.delete(gpadl.id);
          this.sendGpadlCreated(id, gpadl.id, WIRE_STATUS_UNSUCCESSFUL);
          break;
        case 'InProgress':
          // One the guest is still describing stays: its last GPADL_BODY completes it (OpenVMM; choice G31, WHOST-27).
        case 'Accepted':
          break;
        default:
          assertNever(gpadl.state);
      }
    }
  }

  /** The suite's fault injection (capability hostControl): how to answer the next request of a kind. */
  direct(id: ChannelId, directive: HostDirective): boolean {
    const channel = this.channels.get(id);
    if (channel === undefined || channel.state === 'Revoked') return false;
    channel.directives.push(directive);
    return true;
  }

  /** Answers every GPADL_CREATED the channel holds back (`deferGpadl`) with success; false if there was none. */
  answerDeferred(id: ChannelId): boolean {
    const channel = this.channels.get(id);
    const deferred = channel === undefined ? [] : [...channel.gpadls.values()].filter((g) => g.state.kind === 'Deferred');
    for (const gpadl of deferred) {
      gpadl.state = { kind: 'Accepted' };
      this.sendGpadlCreated(id, gpadl.id, WIRE_STATUS_SUCCESS);
    }
    return deferred.length > 0;
  }

  /** The first directive, in the order given, among `kinds`; it is used up. */
  private takeDirective(channel: HostChannel, ...kinds: HostDirective[]): HostDirective | undefined {
    const at = channel.directives.findIndex((d) => kinds.includes(d));
    return at < 0 ? undefined : channel.directives.splice(at, 1)[0];
  }

  receive(message: GuestToHostMessage): void {
    const error = this.dispatch(message);
    if (error !== undefined) this.errors.push(error);
  }

  private dispatch(message: GuestToHostMessage): ChannelError | undefined {
    if (this.connection.kind !== 'Connected' && message.type !== 'INITIATE_CONTACT') return { kind: 'NotConnected', message: message.type };
    switch (message.type) {
      case 'GPADL_HEADER':
        return this.handleGpadlHeader(message);
      case 'GPADL_BODY':
        return this.handleGpadlBody(message);
      case 'GPADL_TEARDOWN':
        return this.handleGpadlTeardown(message);
      case 'OPENCHANNEL':
        return this.handleOpenChannel(message);
      case 'CLOSECHANNEL':
        return this.handleCloseChannel(message);
      case 'RELID_RELEASED':
        return this.handleRelidReleased(message);
      case 'INITIATE_CONTACT':
        return this.handleInitiateContact(message);
      case 'REQUESTOFFERS':
        return this.handleRequestOffers();
      case 'UNLOAD':
        return this.handleUnload();
      default:
        return assertNever(message);
    }
  }

  /**
   * A header the host cannot take is refused here; a page list that is complete in the header is
   * answered by `append`, exactly once (whether accepted, refused as invalid, or by a directive).
   */
  private handleGpadlHeader(message: GpadlHeader): ChannelError | undefined {
    // Taken even from a header refused below, so that no declaration outlives its header.
    const readOnly = this.sideband.take(message.childRelid, message.gpadl);
    const refused = this.refuseGpadlHeader(message);
    if (refused !== undefined) {
      this.sendGpadlCreated(message.childRelid, message.gpadl, WIRE_STATUS_UNSUCCESSFUL);
      return refused;
    }
    const channel = this.channels.get(message.childRelid)!;
    const gpadl: HostGpadl = {
      id: message.gpadl,
      channel,
      rangeCount: message.rangeCount,
      state: { kind: 'InProgress', rangeBuffer: new Uint8Array(message.rangeBufLen), filled: 0 },
      ranges: [],
      readOnly,
      mapped: false,
      holds: 0,
    };
    channel.gpadls.set(gpadl.id, gpadl);
    this.inProgress.set(gpadl.id, gpadl);
    return this.append(gpadl, message.rangeData);
  }

  /** Why a GPADL_HEADER cannot start a GPADL (G24, G25), or undefined if it can. */
  private refuseGpadlHeader(message: GpadlHeader): ChannelError | undefined {
    const channel = this.channels.get(message.childRelid);
    if (channel === undefined) return { kind: 'UnknownChannelId', channel: message.childRelid };
    if (channel.gpadls.has(message.gpadl) || this.inProgress.has(message.gpadl)) return { kind: 'DuplicateGpadlId', gpadl: message.gpadl };
    return undefined;
  }

  private handleGpadlBody(message: GpadlBody): ChannelError | undefined {
    const gpadl = this.inProgress.get(message.gpadl);
    // No reply is possible: GPADL_BODY names no channel.
    if (gpadl === undefined) return { kind: 'UnknownGpadlId', gpadl: message.gpadl };
    return this.append(gpadl, message.rangeData);
  }

  /** Takes whole u64s up to the declared range_buflen; bytes beyond it are ignored (UEFI sends full messages). */
  private append(gpadl: HostGpadl, data: Uint8Array): ChannelError | undefined {
    const state = gpadl.state;
    if (state.kind !== 'InProgress') return { kind: 'InvalidGpadlState', gpadl: gpadl.id, state: state.kind };
    const room = state.rangeBuffer.length - state.filled;
    const take = Math.min(Math.floor(data.length / 8) * 8, room);
    state.rangeBuffer.set(data.subarray(0, take), state.filled);
    state.filled += take;
    if (state.filled < state.rangeBuffer.length) return undefined;
    this.inProgress.delete(gpadl.id);
    const decoded = decodeRanges(state.rangeBuffer, gpadl.rangeCount);
    if (!decoded.ok) {
      gpadl.channel.gpadls.delete(gpadl.id);
      this.sendGpadlCreated(gpadl.channel.id, gpadl.id, WIRE_STATUS_UNSUCCESSFUL);
      return { kind: 'InvalidGpaRange', gpadl: gpadl.id, error: decoded.error };
    }
    gpadl.ranges = decoded.ranges;
    const directive = this.takeDirective(gpadl.channel, 'refuseGpadl', 'deferGpadl');
    if (directive === 'refuseGpadl') {
      gpadl.channel.gpadls.delete(gpadl.id);
      this.sendGpadlCreated(gpadl.channel.id, gpadl.id, WIRE_STATUS_UNSUCCESSFUL);
      return { kind: 'Directed', channel: gpadl.channel.id, directive: 'refuseGpadl' };
    }
    if (directive === 'deferGpadl') {
      gpadl.state = { kind: 'Deferred' };
      return undefined;
    }
    gpadl.state = { kind: 'Accepted' };
    this.sendGpadlCreated(gpadl.channel.id, gpadl.id, WIRE_STATUS_SUCCESS);
    return undefined;
  }

  private handleGpadlTeardown(message: GpadlTeardown): ChannelError | undefined {
    const channel = this.channels.get(message.childRelid);
    const gpadl = channel?.gpadls.get(message.gpadl);
    // Unknown ids and GPADLs not yet accepted are dropped without a reply, as OpenVMM does.
    if (channel === undefined || gpadl === undefined) return { kind: 'UnknownGpadlId', gpadl: message.gpadl };
    if (gpadl.state.kind !== 'Accepted') return { kind: 'InvalidGpadlState', gpadl: gpadl.id, state: gpadl.state.kind };
    gpadl.state = { kind: 'TearingDown' };
    // A revoked channel's GPADLs are answered at once (OpenVMM `test_gpadl_on_revoked_channel`).
    if (channel.state === 'Revoked') this.tornDown(gpadl);
    else this.tornDownIfUnused(gpadl);
    return undefined;
  }

  private handleOpenChannel(message: OpenChannel): ChannelError | undefined {
    const error = this.openChannelCore(message);
    this.wire.toGuest({
      type: 'OPENCHANNEL_RESULT',
      childRelid: message.childRelid,
      openId: message.openId,
      status: error === undefined ? WIRE_STATUS_SUCCESS : WIRE_STATUS_UNSUCCESSFUL,
    });
    if (error === undefined) this.listener.opened(message.childRelid);
    return error;
  }

  /** The ring-buffer GPADL rules of OpenVMM `gpadl_ring.rs`. */
  private openChannelCore(message: OpenChannel): ChannelError | undefined {
    const channel = this.channels.get(message.childRelid);
    if (channel === undefined) return { kind: 'UnknownChannelId', channel: message.childRelid };
    if (channel.state !== 'Offered') return { kind: 'InvalidChannelState', channel: channel.id, state: channel.state };
    const ring = channel.gpadls.get(message.ringBufferGpadlHandle);
    const bad = (reason: string): ChannelError => ({ kind: 'InvalidRingGpadl', channel: channel.id, reason });
    if (ring === undefined || ring.state.kind !== 'Accepted') return bad('the ring-buffer GPADL is not an accepted GPADL of this channel');
    if (this.takeDirective(channel, 'refuseOpen') !== undefined) return { kind: 'Directed', channel: channel.id, directive: 'refuseOpen' };
    const [range, ...more] = ring.ranges;
    if (range === undefined || more.length > 0) return bad('the ring-buffer GPADL must have exactly one range');
    if (range.byteOffset !== 0 || range.byteCount % PAGE_SIZE !== 0) return bad('the ring-buffer GPADL must be whole pages from offset 0');
    const pages = range.byteCount / PAGE_SIZE;
    const split = message.downstreamRingBufferPageOffset;
    if (split <= 0 || split >= pages) return bad(`downstream page offset ${split} leaves a ring without pages (ring GPADL has ${pages})`);
    channel.state = 'Open';
    channel.ring = ring;
    return undefined;
  }

  private handleCloseChannel(message: CloseChannel): ChannelError | undefined {
    const channel = this.channels.get(message.childRelid);
    if (channel === undefined) return { kind: 'UnknownChannelId', channel: message.childRelid };
    if (channel.state !== 'Open') return { kind: 'InvalidChannelState', channel: channel.id, state: channel.state };
    // CLOSECHANNEL leaves the channel's GPADLs alone (OpenVMM); only the ring stops being in use.
    const ring = channel.ring;
    channel.state = 'Offered';
    channel.ring = null;
    if (ring !== null) this.tornDownIfUnused(ring);
    this.listener.closed(channel.id);
    return undefined;
  }

  private handleRelidReleased(message: RelidReleased): ChannelError | undefined {
    const channel = this.channels.get(message.childRelid);
    if (channel === undefined) return { kind: 'UnknownChannelId', channel: message.childRelid };
    if (channel.state !== 'Revoked') return { kind: 'InvalidChannelState', channel: channel.id, state: channel.state };
    // Release tears down whatever GPADLs the guest left; the guest no longer expects replies.
    for (const gpadl of channel.gpadls.values()) {
      this.inProgress.delete(gpadl.id);
      if (gpadl.holds > 0) this.orphaned.add(gpadl);
    }
    this.channels.delete(channel.id);
    return undefined;
  }

  /** The server's KMCL let go of its mapping. */
  unmapped(gpadl: HostGpadl): void {
    gpadl.mapped = false;
    this.letGo(gpadl);
  }

  /** A device on the host starts using an accepted GPADL (OpenVMM `GpadlMapView::map` fails for any other). */
  hold(channel: ChannelId, id: GpadlHandle): boolean {
    const gpadl = this.channels.get(channel)?.gpadls.get(id);
    if (gpadl === undefined || gpadl.state.kind !== 'Accepted') return false;
    gpadl.holds++;
    return true;
  }

  /**
   * The device drops its view; the last one lets a held-back GPADL_TORNDOWN go. A view outlives the
   * GPADL's teardown, so only a release of what no device holds fails.
   */
  release(channel: ChannelId, id: GpadlHandle): boolean {
    const gpadl = this.heldGpadl(channel, id);
    if (gpadl === undefined) return false;
    gpadl.holds--;
    if (gpadl.holds === 0) this.orphaned.delete(gpadl);
    this.letGo(gpadl);
    return true;
  }

  /** The GPADL (channel, id) that a device holds a view of: a live one, one a disconnect drains, or one gone for good. */
  private heldGpadl(channel: ChannelId, id: GpadlHandle): HostGpadl | undefined {
    const named = (gpadl: HostGpadl): boolean => gpadl.channel.id === channel && gpadl.id === id && gpadl.holds > 0;
    const live = this.channels.get(channel)?.gpadls.get(id);
    if (live !== undefined && named(live)) return live;
    return [...this.draining, ...this.orphaned].find(named);
  }

  protected tornDownIfUnused(gpadl: HostGpadl): void {
    if (gpadl.state.kind !== 'TearingDown' || gpadl.mapped || gpadl.holds > 0 || gpadl.channel.ring === gpadl) return;
    this.tornDown(gpadl);
  }

  private tornDown(gpadl: HostGpadl): void {
    gpadl.channel.gpadls.delete(gpadl.id);
    // Only a revoked channel answers a teardown while devices still hold views (OpenVMM `revoke`).
    if (gpadl.holds > 0) this.orphaned.add(gpadl);
    this.wire.toGuest({ type: 'GPADL_TORNDOWN', gpadl: gpadl.id });
  }

  private sendGpadlCreated(channel: ChannelId, gpadl: GpadlHandle, creationStatus: number): void {
    this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: channel, gpadl, creationStatus });
  }

  /** On a live connection INITIATE_CONTACT is a reset: the guest's side goes as at an unload, then the version is answered (OpenVMM `initiate_contact`). */
  private handleInitiateContact(message: InitiateContact): ChannelError | undefined {
    this.disconnect({ kind: 'Reconnect', request: message });
    return undefined;
  }

  /** Every channel still offered, then ALLOFFERS_DELIVERED; once per connection (OpenVMM `OffersAlreadySent`). */
  private handleRequestOffers(): ChannelError | undefined {
    const connection = this.connection;
    if (connection.kind !== 'Connected') return { kind: 'NotConnected', message: 'REQUESTOFFERS' };
    if (connection.offersSent) return { kind: 'OffersAlreadySent' };
    connection.offersSent = true;
    for (const channel of this.channels.values()) {
      if (channel.state !== 'Revoked') this.wire.toGuest(this.offerMessage(channel.id));
    }
    this.wire.toGuest({ type: 'ALLOFFERS_DELIVERED' });
    return undefined;
  }

  private handleUnload(): ChannelError | undefined {
    this.disconnect({ kind: 'UnloadResponse' });
    return undefined;
  }

  /**
   * Ends the connection: on a live one the guest's side goes first. An INITIATE_CONTACT that comes
   * while GPADLs still drain replaces what the disconnect ends with (OpenVMM `request_disconnect`).
   */
  private disconnect(then: DisconnectAction): void {
    if (this.connection.kind === 'Connected') this.releaseGuest();
    this.connection = { kind: 'Disconnecting', then };
    this.disconnectIfDrained();
  }

  /**
   * OpenVMM `client_release_channel` for every channel: GPADLs in progress are forgotten (their ids
   * free again, OPENVMM-CHANNELS-13), the others torn down without GPADL_TORNDOWN (the guest no longer
   * waits for one), open channels closed. A revoked channel the guest has not released yet goes as
   * if it had (G30). Channels keep their ids, to be offered again at REQUESTOFFERS.
   */
  private releaseGuest(): void {
    for (const channel of [...this.channels.values()]) {
      for (const gpadl of channel.gpadls.values()) if (gpadl.mapped || gpadl.holds > 0) this.draining.add(gpadl);
      channel.gpadls.clear();
      if (channel.state === 'Revoked') {
        this.channels.delete(channel.id);
        continue;
      }
      const open = channel.state === 'Open';
      channel.state = 'Offered';
      channel.ring = null;
      // The server endpoint sees the close, as at CLOSECHANNEL, so that its KMCL state stays consistent.
      if (open) this.listener.closed(channel.id);
    }
    this.inProgress.clear();
  }

  /** The disconnect completes once nothing on the host uses a GPADL it tore down (OPENVMM-CHANNELS-14). */
  private disconnectIfDrained(): void {
    if (this.connection.kind !== 'Disconnecting' || this.draining.size > 0) return;
    const then = this.connection.then;
    this.connection = { kind: 'Disconnected' };
    switch (then.kind) {
      case 'UnloadResponse':
        this.wire.toGuest({ type: 'UNLOAD_RESPONSE' });
        break;
      case 'Reconnect':
        this.connect(then.request);
        break;
      default:
        assertNever(then);
    }
  }

  /** VERSION_RESPONSE: a version the host speaks connects; any other leaves the guest to try an older one. */
  private connect(request: InitiateContact): void {
    const version = request.vmbusVersionRequested;
    if (!HOST_VERSIONS.includes(version)) {
      this.wire.toGuest({ type: 'VERSION_RESPONSE', versionSupported: 0, connectionState: CONNECTION_SUCCESSFUL, msgConnId: 0 });
      return;
    }
    this.connection = { kind: 'Connected', offersSent: false };
    // From 5.0 the guest posts its messages to the connection id it is given; before, OpenVMM echoes the version.
    const msgConnId = version >= VERSION_WIN10_V5 ? MESSAGE_CONNECTION_ID : version;
    this.wire.toGuest({ type: 'VERSION_RESPONSE', versionSupported: 1, connectionState: CONNECTION_SUCCESSFUL, msgConnId });
  }

  /** Something on the host stopped using the GPADL: a held-back GPADL_TORNDOWN, or the end of a disconnect, may follow. */
  private letGo(gpadl: HostGpadl): void {
    if (this.draining.has(gpadl)) {
      if (gpadl.mapped || gpadl.holds > 0) return;
      this.draining.delete(gpadl);
      this.disconnectIfDrained();
    } else if (gpadl.channel.gpadls.get(gpadl.id) === gpadl) {
      this.tornDownIfUnused(gpadl);
    }
  }
}

/**
 * A host on its own, for the `wireHost` capability: the suite plays the guest and speaks bytes.
 *
 * It owns a {@link HostVmbus} on a private wire whose guest end only collects what the host sends,
 * encoded with the byte codec; each call returns the messages it caused, in order. A message the
 * host cannot read (over 240 bytes, shorter than its type's fixed part, an unknown type, or a type
 * only the host sends) is dropped without a reply and changes nothing (choice G23).
 */
export class StandaloneHost {
  readonly host: HostVmbus;
  /** Messages dropped because they could not be read, for unit tests and debugging. */
  readonly unreadable: string[] = [];
  private readonly sent: Uint8Array[] = [];

  constructor(create: (wire: Wire, sideband: Sideband, listener: HostListener) => HostVmbus = (w, s, l) => new HostVmbus(w, s, l)) {
    const wire = new Wire(new TraceLog(false));
    wire.connect({
      host: () => {
        throw new InternalError('the standalone host has no guest VMBus behind its wire');
      },
      guest: (message) => void this.sent.push(encodeMessage(message)),
    });
    this.host = create(wire, new Sideband(), { opened: () => undefined, closed: () => undefined });
  }

  offer(): { channelId: ChannelId; replies: Uint8Array[] } {
    let id: ChannelId | undefined;
    const replies = this.collect(() => (id = this.host.offer()));
    return { channelId: id!, replies };
  }

  receive(bytes: Uint8Array): { replies: Uint8Array[] } {
    return {
      replies: this.collect(() => {
        const decoded = decodeMessage(bytes, { checkRangeBufLen: false });
        if (!decoded.ok) return void this.unreadable.push(decoded.error.message);
        const message = decoded.message;
        if (!isGuestToHost(message)) return void this.unreadable.push(`${message.type} is a host-to-guest message`);
        this.host.receive(message);
      }),
    };
  }

  hold(channel: ChannelId, gpadl: GpadlHandle): boolean {
    return this.host.hold(channel, gpadl);
  }

  release(channel: ChannelId, gpadl: GpadlHandle): { released: boolean; replies: Uint8Array[] } {
    let released = false;
    const replies = this.collect(() => (released = this.host.release(channel, gpadl)));
    return { released, replies };
  }

  revoke(channel: ChannelId): { replies: Uint8Array[] } {
    return { replies: this.collect(() => this.host.revoke(channel)) };
  }

  private collect(action: () => void): Uint8Array[] {
    this.sent.length = 0;
    action();
    return this.sent.splice(0);
  }
}
