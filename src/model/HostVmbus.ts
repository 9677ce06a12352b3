/**
 * The host's VMBus control plane for GPADLs and channels, after OpenVMM `vmbus_server/src/channels.rs`.
 *
 * It receives the guest's channel messages, keeps a GPADL table per channel (keyed by GPADL id, so
 * the same id may live on two channels) plus the connection-wide set of GPADLs still in progress
 * (GPADL_BODY carries no channel id), and answers with GPADL_CREATED, GPADL_TORNDOWN and
 * OPENCHANNEL_RESULT. GPADL_TORNDOWN is held back while the server has the GPADL mapped or an open
 * channel uses it as its ring buffer (choice G13).
 */
import type { HostDirective } from '../contract/Implementation.js';
import { channelId as toChannelId, PAGE_SIZE, type ChannelId, type GpadlHandle } from '../contract/handles.js';
import { assertNever } from './assertNever.js';
import {
  WIRE_STATUS_SUCCESS,
  WIRE_STATUS_UNSUCCESSFUL,
  type CloseChannel,
  type GpadlBody,
  type GpadlHeader,
  type GpadlTeardown,
  type GuestToHostMessage,
  type OpenChannel,
  type RelidReleased,
} from '../protocol/messages.js';
import { decodeRanges, type GpaRange, type GpaRangeError } from '../protocol/ranges.js';
import { decodeMessage, encodeMessage } from '../protocol/codec.js';
import { MESSAGE_CATALOGUE } from '../protocol/messages.js';
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
  /** How the host answers the guest's next request of each kind: the suite's fault injection (capability hostControl). */
  readonly directives: Set<HostDirective>;
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
  | { readonly kind: 'Directed'; readonly channel: ChannelId; readonly directive: HostDirective };

/** What the host's KMCL (the server endpoints) hears about a channel. */
export interface HostListener {
  opened(channel: ChannelId): void;
  closed(channel: ChannelId): void;
}

export class HostVmbus {
  protected readonly channels = new Map<ChannelId, HostChannel>();
  private readonly inProgress = new Map<GpadlHandle, HostGpadl>();
  private nextChannelId = 1;
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
    this.channels.set(id, { id, state: 'Offered', ring: null, gpadls: new Map(), directives: new Set() });
    this.wire.toGuest({ type: 'OFFERCHANNEL', childRelid: id });
    return id;
  }

  /** VmbChannelDisable on the server: rescind, and answer what the guest is still waiting for. */
  revoke(id: ChannelId): void {
    const channel = this.channels.get(id);
    if (channel === undefined || channel.state === 'Revoked') return;
    channel.state = 'Revoked';
    channel.ring = null;
    channel.directives.clear();
    this.wire.toGuest({ type: 'RESCIND_CHANNELOFFER', childRelid: id });
    for (const gpadl of [...channel.gpadls.values()]) {
      switch (gpadl.state.kind) {
        case 'TearingDown':
          this.tornDown(gpadl);
          break;
        case 'InProgress':
        case 'Deferred':
          // GPADLs still waiting for their answer are refused (OpenVMM `revoke`; WHOST-20).
          this.inProgress.delete(gpadl.id);
          channel.gpadls.delete(gpadl.id);
          this.sendGpadlCreated(id, gpadl.id, WIRE_STATUS_UNSUCCESSFUL);
          break;
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
    channel.directives.add(directive);
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

  private takeDirective(channel: HostChannel, directive: HostDirective): boolean {
    return channel.directives.delete(directive);
  }

  receive(message: GuestToHostMessage): void {
    const error = this.dispatch(message);
    if (error !== undefined) this.errors.push(error);
  }

  private dispatch(message: GuestToHostMessage): ChannelError | undefined {
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
      default:
        return assertNever(message);
    }
  }

  private handleGpadlHeader(message: GpadlHeader): ChannelError | undefined {
    const error = this.gpadlHeaderCore(message);
    if (error !== undefined && error.kind !== 'InvalidGpaRange') {
      this.sendGpadlCreated(message.childRelid, message.gpadl, WIRE_STATUS_UNSUCCESSFUL);
    }
    return error;
  }

  private gpadlHeaderCore(message: GpadlHeader): ChannelError | undefined {
    const channel = this.channels.get(message.childRelid);
    if (channel === undefined) return { kind: 'UnknownChannelId', channel: message.childRelid };
    if (channel.gpadls.has(message.gpadl) || this.inProgress.has(message.gpadl)) return { kind: 'DuplicateGpadlId', gpadl: message.gpadl };
    const gpadl: HostGpadl = {
      id: message.gpadl,
      channel,
      rangeCount: message.rangeCount,
      state: { kind: 'InProgress', rangeBuffer: new Uint8Array(message.rangeBufLen), filled: 0 },
      ranges: [],
      readOnly: false,
      mapped: false,
      holds: 0,
    };
    channel.gpadls.set(gpadl.id, gpadl);
    this.inProgress.set(gpadl.id, gpadl);
    return this.append(gpadl, message.rangeData);
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
    gpadl.readOnly = this.sideband.isReadOnly(gpadl.channel.id, gpadl.id);
    if (this.takeDirective(gpadl.channel, 'refuseGpadl')) {
      gpadl.channel.gpadls.delete(gpadl.id);
      this.sendGpadlCreated(gpadl.channel.id, gpadl.id, WIRE_STATUS_UNSUCCESSFUL);
      return { kind: 'Directed', channel: gpadl.channel.id, directive: 'refuseGpadl' };
    }
    if (this.takeDirective(gpadl.channel, 'deferGpadl')) {
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
    if (this.takeDirective(channel, 'refuseOpen')) return { kind: 'Directed', channel: channel.id, directive: 'refuseOpen' };
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
    for (const gpadl of channel.gpadls.values()) this.inProgress.delete(gpadl.id);
    this.channels.delete(channel.id);
    return undefined;
  }

  /** The server's KMCL let go of its mapping. */
  unmapped(gpadl: HostGpadl): void {
    gpadl.mapped = false;
    if (gpadl.channel.gpadls.get(gpadl.id) === gpadl) this.tornDownIfUnused(gpadl);
  }

  /** A device on the host starts using an accepted GPADL (OpenVMM `GpadlMapView::map` fails for any other). */
  hold(channel: ChannelId, id: GpadlHandle): boolean {
    const gpadl = this.channels.get(channel)?.gpadls.get(id);
    if (gpadl === undefined || gpadl.state.kind !== 'Accepted') return false;
    gpadl.holds++;
    return true;
  }

  /** The device drops its view; the last one lets a held-back GPADL_TORNDOWN go. */
  release(channel: ChannelId, id: GpadlHandle): boolean {
    const gpadl = this.channels.get(channel)?.gpadls.get(id);
    if (gpadl === undefined || gpadl.holds === 0) return false;
    gpadl.holds--;
    this.tornDownIfUnused(gpadl);
    return true;
  }

  protected tornDownIfUnused(gpadl: HostGpadl): void {
    if (gpadl.state.kind !== 'TearingDown' || gpadl.mapped || gpadl.holds > 0 || gpadl.channel.ring === gpadl) return;
    this.tornDown(gpadl);
  }

  private tornDown(gpadl: HostGpadl): void {
    gpadl.channel.gpadls.delete(gpadl.id);
    this.wire.toGuest({ type: 'GPADL_TORNDOWN', gpadl: gpadl.id });
  }

  private sendGpadlCreated(channel: ChannelId, gpadl: GpadlHandle, creationStatus: number): void {
    this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: channel, gpadl, creationStatus });
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
        if (MESSAGE_CATALOGUE[message.type].direction !== 'guest-to-host') return void this.unreadable.push(`${message.type} is a host-to-guest message`);
        this.host.receive(message as GuestToHostMessage);
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
