/**
 * The guest's VMBus driver: it turns GPADL creates and deletes into channel messages and waits for
 * the host's answers, after Linux `drivers/hv/channel.c` (`__vmbus_establish_gpadl`,
 * `vmbus_teardown_gpadl`, `__vmbus_open`, `vmbus_close_internal`).
 *
 * Delivery is synchronous, so "waiting" means: post, and look at what the answer changed.
 */
import { type ChannelId, type GpadlHandle, type OperationId } from '../contract/handles.js';
import { assertNever } from './assertNever.js';
import { buildGpadlMessages } from '../protocol/buildGpadlMessages.js';
import { WIRE_STATUS_SUCCESS, type GpadlCreated, type HostToGuestMessage, type OpenChannelResult } from '../protocol/messages.js';
import type { GpaRange } from '../protocol/ranges.js';
import type { GuestBuffer } from './GuestMemory.js';
import type { GpadlHandleAllocator } from './GpadlHandleAllocator.js';
import type { Sideband } from './Sideband.js';
import type { Wire } from './Wire.js';

export type GuestGpadlState =
  /** GPADL_HEADER (and any GPADL_BODY) sent; GPADL_CREATED not yet received. */
  | { readonly kind: 'Creating' }
  /** The host answered GPADL_CREATED with this non-zero status. */
  | { readonly kind: 'Refused'; readonly creationStatus: number }
  /** The channel was rescinded while GPADL_CREATED was still awaited (Linux: −ENODEV). */
  | { readonly kind: 'Rescinded' }
  /** The host confirmed it: the server may map it now. */
  | { readonly kind: 'Created' }
  /** GPADL_TEARDOWN sent; GPADL_TORNDOWN not yet received. Deletes wait here. */
  | { readonly kind: 'TearingDown' }
  /** Torn down (or dropped locally after a rescind); the handle is dead. */
  | { readonly kind: 'Gone' };

export interface GuestGpadl {
  readonly handle: GpadlHandle;
  readonly channel: ChannelId;
  /** The KMCL endpoint that created it; null for the ring-buffer GPADL, which the open owns. */
  readonly owner: number | null;
  readonly ranges: readonly GpaRange[];
  /** Buffers probed and locked until the GPADL is gone. */
  readonly buffers: readonly GuestBuffer[];
  state: GuestGpadlState;
  /** True until `establishGpadl` returns: a later answer settles a create that is pending. */
  establishing: boolean;
  /** Delete operations that complete when the GPADL is gone. */
  readonly waiters: OperationId[];
}

interface GuestChannel {
  readonly id: ChannelId;
  rescinded: boolean;
  /** The open waiting for OPENCHANNEL_RESULT: told whether it succeeded, or failed by a rescind. */
  opening: ((opened: boolean) => void) | null;
}

export interface GuestListener {
  rescinded(channel: ChannelId): void;
  /** A GPADL that was still waiting for GPADL_CREATED when `establishGpadl` returned is now Created, Refused or Rescinded. */
  settled(gpadl: GuestGpadl): void;
  /** A GPADL is gone: its waiting deletes complete. */
  gone(gpadl: GuestGpadl): void;
}

export class GuestVmbus {
  private readonly channels = new Map<ChannelId, GuestChannel>();
  /** Every GPADL not yet gone, by handle: handles are unique per connection, and GPADL_TORNDOWN names only the handle. */
  readonly gpadls = new Map<GpadlHandle, GuestGpadl>();

  constructor(
    private readonly wire: Wire,
    private readonly handles: GpadlHandleAllocator,
    private readonly sideband: Sideband,
    private readonly listener: GuestListener,
  ) {}

  isOffered(channel: ChannelId): boolean {
    const known = this.channels.get(channel);
    return known !== undefined && !known.rescinded;
  }

  isRescinded(channel: ChannelId): boolean {
    return this.channels.get(channel)?.rescinded === true;
  }

  /**
   * Sends the GPADL and waits for GPADL_CREATED; the record says how it ended, or is still
   * Creating when the host holds the answer back (the listener hears when it settles).
   */
  establishGpadl(channel: ChannelId, ranges: readonly GpaRange[], options: { readOnly: boolean; owner: number | null; buffers: readonly GuestBuffer[] }): GuestGpadl {
    const handle = this.handles.allocate((h) => this.gpadls.has(h));
    const gpadl: GuestGpadl = { handle, channel, owner: options.owner, ranges, buffers: options.buffers, state: { kind: 'Creating' }, establishing: true, waiters: [] };
    for (const buffer of gpadl.buffers) buffer.lockCount++;
    this.gpadls.set(handle, gpadl);
    this.sideband.declare(channel, handle, options.readOnly);
    for (const message of buildGpadlMessages(channel, handle, ranges)) this.wire.toHost(message);
    gpadl.establishing = false;
    return gpadl;
  }

  /** Sends GPADL_TEARDOWN; after a rescind nothing is sent and the GPADL is dropped at once (Linux). */
  teardownGpadl(gpadl: GuestGpadl): void {
    if (gpadl.state.kind !== 'Created') return;
    if (this.isRescinded(gpadl.channel)) {
      this.drop(gpadl);
      return;
    }
    gpadl.state = { kind: 'TearingDown' };
    this.wire.toHost({ type: 'GPADL_TEARDOWN', childRelid: gpadl.channel, gpadl: gpadl.handle });
  }

  /**
   * Sends OPENCHANNEL naming the ring-buffer GPADL; `then` hears how it ended when OPENCHANNEL_RESULT
   * comes (at once with an in-process host), or that it failed when the channel is rescinded first
   * (Linux `__vmbus_open`: −ENODEV after the wait).
   */
  openChannel(channel: ChannelId, ring: GuestGpadl, downstreamPageOffset: number, then: (opened: boolean) => void): void {
    const known = this.channels.get(channel);
    if (known === undefined || known.rescinded) return then(false);
    known.opening = then;
    this.wire.toHost({
      type: 'OPENCHANNEL',
      childRelid: channel,
      // Linux `__vmbus_open` sends the channel's child_relid as the openid (OpenVMM's client sends 0);
      // a host only echoes it in OPENCHANNEL_RESULT.
      openId: channel,
      ringBufferGpadlHandle: ring.handle,
      targetVp: 0,
      downstreamRingBufferPageOffset: downstreamPageOffset,
    });
  }

  closeChannel(channel: ChannelId): void {
    if (!this.isRescinded(channel)) this.wire.toHost({ type: 'CLOSECHANNEL', childRelid: channel });
  }

  /** RELID_RELEASED for a rescinded channel; whatever GPADLs it still had are dropped with it. */
  releaseChannel(channel: ChannelId): void {
    if (!this.isRescinded(channel)) return;
    for (const gpadl of [...this.gpadls.values()]) if (gpadl.channel === channel) this.drop(gpadl);
    this.channels.delete(channel);
    this.wire.toHost({ type: 'RELID_RELEASED', childRelid: channel });
  }

  receive(message: HostToGuestMessage): void {
    switch (message.type) {
      case 'OFFERCHANNEL':
        this.channels.set(message.childRelid, { id: message.childRelid, rescinded: false, opening: null });
        return;
      case 'RESCIND_CHANNELOFFER':
        return this.onRescind(message.childRelid);
      case 'OPENCHANNEL_RESULT':
        return this.onOpenResult(message);
      case 'GPADL_CREATED':
        return this.onGpadlCreated(message);
      case 'GPADL_TORNDOWN': {
        const gpadl = this.gpadls.get(message.gpadl);
        if (gpadl?.state.kind === 'TearingDown') this.drop(gpadl);
        return;
      }
      case 'ALLOFFERS_DELIVERED':
      case 'VERSION_RESPONSE':
      case 'UNLOAD_RESPONSE':
        return;
      default:
        return assertNever(message);
    }
  }

  private onGpadlCreated(message: GpadlCreated): void {
    // Matched by the pair (child_relid, gpadl), as Linux `vmbus_ongpadl_created` does.
    const gpadl = this.gpadls.get(message.gpadl);
    if (gpadl === undefined || gpadl.channel !== message.childRelid || gpadl.state.kind !== 'Creating') return;
    if (message.creationStatus === WIRE_STATUS_SUCCESS) {
      gpadl.state = { kind: 'Created' };
    } else {
      gpadl.state = { kind: 'Refused', creationStatus: message.creationStatus };
      this.drop(gpadl);
    }
    if (!gpadl.establishing) this.listener.settled(gpadl);
  }

  private onOpenResult(message: OpenChannelResult): void {
    const known = this.channels.get(message.childRelid);
    const then = known?.opening;
    if (known === undefined || then == null) return;
    known.opening = null;
    then(message.status === WIRE_STATUS_SUCCESS);
  }

  private onRescind(channel: ChannelId): void {
    const known = this.channels.get(channel);
    if (known === undefined) return;
    known.rescinded = true;
    const opening = known.opening;
    known.opening = null;
    // A create still waiting for GPADL_CREATED fails now, whatever the host answers later (Linux `vmbus_rescind_cleanup`).
    for (const gpadl of [...this.gpadls.values()]) {
      if (gpadl.channel !== channel || gpadl.state.kind !== 'Creating') continue;
      gpadl.state = { kind: 'Rescinded' };
      this.drop(gpadl);
      if (!gpadl.establishing) this.listener.settled(gpadl);
    }
    opening?.(false);
    this.listener.rescinded(channel);
  }

  /** The GPADL is gone: unlock its buffers and complete the deletes waiting for it. */
  private drop(gpadl: GuestGpadl): void {
    if (this.gpadls.get(gpadl.handle) !== gpadl) return;
    // A GPADL that never became Created has no deletes waiting for it.
    const refused = gpadl.state.kind !== 'Created' && gpadl.state.kind !== 'TearingDown';
    gpadl.state = refused ? gpadl.state : { kind: 'Gone' };
    this.gpadls.delete(gpadl.handle);
    for (const buffer of gpadl.buffers) buffer.lockCount--;
    if (!refused) this.listener.gone(gpadl);
  }
}
