/**
 * The guest's VMBus driver (src/model/GuestVmbus.ts) message by message, against a scripted host:
 * the answers it must ignore (a GPADL_CREATED for another channel, a GPADL_TORNDOWN nobody waits
 * for, an OPENCHANNEL_RESULT nobody waits for, a rescind of an unknown channel) and what a refusal
 * or a rescind does to its GPADLs. Mutation testing (docs/mutation.md) found these untested.
 */
import { describe, expect, it } from 'vitest';
import { channelId, gpadlHandle, type ChannelId, type GpadlHandle } from '../../src/contract/handles.js';
import { GpadlHandleAllocator } from '../../src/model/GpadlHandleAllocator.js';
import type { GuestBuffer } from '../../src/model/GuestMemory.js';
import { GuestVmbus, type GuestGpadl } from '../../src/model/GuestVmbus.js';
import { Sideband } from '../../src/model/Sideband.js';
import { TraceLog } from '../../src/model/TraceLog.js';
import { Wire } from '../../src/model/Wire.js';
import type { GuestToHostMessage, HostToGuestMessage } from '../../src/protocol/messages.js';

const CH = channelId(3);
const range = { byteOffset: 0, byteCount: 4096, pfns: Float64Array.of(0x10001) };

class Env {
  readonly sent: GuestToHostMessage[] = [];
  readonly heard: string[] = [];
  /** What the scripted host answers a GPADL_HEADER with; nothing when undefined (the answer is held back). */
  creationStatus: number | undefined = 0;
  readonly wire = new Wire(new TraceLog(false));
  readonly guest: GuestVmbus;
  readonly buffer: GuestBuffer = { handle: 1 as never, byteOffset: 0, byteCount: 4096, pfns: range.pfns, lockCount: 0 };

  constructor() {
    this.guest = new GuestVmbus(this.wire, new GpadlHandleAllocator(), new Sideband(), {
      rescinded: (channel) => this.heard.push(`rescinded ${channel}`),
      settled: (gpadl) => this.heard.push(`settled ${gpadl.handle} ${gpadl.state.kind}`),
      gone: (gpadl) => this.heard.push(`gone ${gpadl.handle}`),
    });
    this.wire.connect({
      host: (message) => {
        this.sent.push(message);
        if (message.type === 'GPADL_HEADER' && this.creationStatus !== undefined) {
          this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: this.creationStatus });
        }
      },
      guest: (message) => this.guest.receive(message),
    });
  }

  offer(channel: ChannelId = CH): void {
    this.toGuest({ type: 'OFFERCHANNEL', childRelid: channel });
  }
  toGuest(message: HostToGuestMessage): void {
    this.wire.toGuest(message);
  }
  gpadl(channel: ChannelId = CH): GuestGpadl {
    return this.guest.establishGpadl(channel, [range], { readOnly: false, owner: 1, buffers: [this.buffer] });
  }
  types(): string[] {
    return this.sent.map((m) => m.type);
  }
}

describe('the guest VMBus', () => {
  it('knows offered and rescinded channels apart, and ignores a rescind of a channel never offered', () => {
    const env = new Env();
    expect([env.guest.isOffered(CH), env.guest.isRescinded(CH)]).toEqual([false, false]);
    env.offer();
    expect([env.guest.isOffered(CH), env.guest.isRescinded(CH)]).toEqual([true, false]);
    env.toGuest({ type: 'RESCIND_CHANNELOFFER', childRelid: channelId(9) });
    expect(env.heard).toEqual([]);
    env.toGuest({ type: 'RESCIND_CHANNELOFFER', childRelid: CH });
    expect([env.guest.isOffered(CH), env.guest.isRescinded(CH), env.heard]).toEqual([false, true, ['rescinded 3']]);
  });

  it('a refused GPADL is dropped at once: buffers unlocked, no delete to complete, nothing settled while establishing', () => {
    const env = new Env();
    env.offer();
    env.creationStatus = 0x8000ffff;
    const gpadl = env.gpadl();
    expect(gpadl.state).toEqual({ kind: 'Refused', creationStatus: 0x8000ffff });
    expect(env.buffer.lockCount).toBe(0);
    expect(env.guest.gpadls.size).toBe(0);
    expect(env.heard).toEqual([]);
  });

  it('ignores a GPADL_CREATED naming another channel, and settles the create when the right one comes', () => {
    const env = new Env();
    env.offer();
    env.offer(channelId(4));
    env.creationStatus = undefined;
    const gpadl = env.gpadl();
    expect(gpadl.state.kind).toBe('Creating');
    expect(env.buffer.lockCount).toBe(1);
    env.toGuest({ type: 'GPADL_CREATED', childRelid: channelId(4), gpadl: gpadl.handle, creationStatus: 0 });
    expect(gpadl.state.kind).toBe('Creating');
    env.toGuest({ type: 'GPADL_CREATED', childRelid: CH, gpadl: gpadl.handle, creationStatus: 0 });
    expect([gpadl.state.kind, env.heard]).toEqual(['Created', [`settled ${gpadl.handle} Created`]]);
    // A second answer changes nothing.
    env.toGuest({ type: 'GPADL_CREATED', childRelid: CH, gpadl: gpadl.handle, creationStatus: 1 });
    expect([gpadl.state.kind, env.heard.length]).toEqual(['Created', 1]);
  });

  it('a rescind fails the creates still waiting on that channel only, and settles them', () => {
    const env = new Env();
    env.offer();
    env.offer(channelId(4));
    env.creationStatus = undefined;
    const waiting = env.gpadl();
    const other = env.gpadl(channelId(4));
    env.toGuest({ type: 'RESCIND_CHANNELOFFER', childRelid: CH });
    expect([waiting.state.kind, other.state.kind]).toEqual(['Rescinded', 'Creating']);
    expect(env.heard).toEqual([`settled ${waiting.handle} Rescinded`, 'rescinded 3']);
    expect(env.buffer.lockCount).toBe(1);
  });

  it('tears down only on GPADL_TORNDOWN for a GPADL tearing down, once', () => {
    const env = new Env();
    env.offer();
    const gpadl = env.gpadl();
    env.toGuest({ type: 'GPADL_TORNDOWN', gpadl: gpadl.handle });
    expect(gpadl.state.kind).toBe('Created');
    env.guest.teardownGpadl(gpadl);
    expect([gpadl.state.kind, env.types()]).toEqual(['TearingDown', ['GPADL_HEADER', 'GPADL_TEARDOWN']]);
    env.guest.teardownGpadl(gpadl);
    expect(env.types()).toHaveLength(2);
    env.toGuest({ type: 'GPADL_TORNDOWN', gpadl: gpadl.handle });
    env.toGuest({ type: 'GPADL_TORNDOWN', gpadl: gpadl.handle });
    expect([gpadl.state.kind, env.heard, env.buffer.lockCount]).toEqual(['Gone', [`gone ${gpadl.handle}`], 0]);
  });

  it('after a rescind: no CLOSECHANNEL, no GPADL_TEARDOWN, opens fail at once, and the release drops that channel GPADLs only', () => {
    const env = new Env();
    env.offer();
    env.offer(channelId(4));
    const mine = env.gpadl();
    const other = env.gpadl(channelId(4));
    env.toGuest({ type: 'RESCIND_CHANNELOFFER', childRelid: CH });
    env.guest.closeChannel(CH);
    const results: boolean[] = [];
    env.guest.openChannel(CH, mine, 1, (opened) => results.push(opened));
    env.guest.openChannel(channelId(9), mine, 1, (opened) => results.push(opened));
    expect(results).toEqual([false, false]);
    expect(env.types()).toEqual(['GPADL_HEADER', 'GPADL_HEADER']);
    env.guest.releaseChannel(CH);
    expect(env.types()).toEqual(['GPADL_HEADER', 'GPADL_HEADER', 'RELID_RELEASED']);
    expect([mine.state.kind, other.state.kind, [...env.guest.gpadls.keys()]]).toEqual(['Gone', 'Created', [other.handle]]);
    expect(env.buffer.lockCount).toBe(1);
  });

  it('an open hears its OPENCHANNEL_RESULT once; a result nobody waits for is ignored', () => {
    const env = new Env();
    env.offer();
    const ring = env.gpadl();
    const results: boolean[] = [];
    env.toGuest({ type: 'OPENCHANNEL_RESULT', childRelid: CH, openId: 3, status: 0 });
    env.toGuest({ type: 'OPENCHANNEL_RESULT', childRelid: channelId(9), openId: 9, status: 0 });
    env.guest.openChannel(CH, ring, 1, (opened) => results.push(opened));
    expect(env.sent.at(-1)).toEqual({ type: 'OPENCHANNEL', childRelid: CH, openId: 3, ringBufferGpadlHandle: ring.handle, targetVp: 0, downstreamRingBufferPageOffset: 1 });
    env.toGuest({ type: 'OPENCHANNEL_RESULT', childRelid: CH, openId: 3, status: 1 });
    env.toGuest({ type: 'OPENCHANNEL_RESULT', childRelid: CH, openId: 3, status: 0 });
    expect(results).toEqual([false]);
    env.guest.closeChannel(CH);
    expect(env.sent.at(-1)).toEqual({ type: 'CLOSECHANNEL', childRelid: CH });
  });

  it('never hands out a handle still in use', () => {
    const env = new Env();
    env.offer();
    const handles = new Set<GpadlHandle>([env.gpadl().handle, env.gpadl().handle, env.gpadl().handle]);
    expect(handles.size).toBe(3);
    expect(handles.has(gpadlHandle(0xe1e10))).toBe(true);
  });
});
