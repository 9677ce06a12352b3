/**
 * The host VMBus's protocol errors (src/model/HostVmbus.ts `errors`) for channel messages about a
 * channel it does not know or that is in the wrong state, and its answers to directives on
 * channels it does not have. Mutation testing (docs/mutation.md) found these untested.
 */
import { describe, expect, it } from 'vitest';
import { channelId, gpadlHandle, type ChannelId } from '../../src/contract/handles.js';
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { Sideband } from '../../src/model/Sideband.js';
import { TraceLog } from '../../src/model/TraceLog.js';
import { Wire } from '../../src/model/Wire.js';
import { buildGpadlMessages } from '../../src/protocol/buildGpadlMessages.js';
import type { GuestToHostMessage, HostToGuestMessage } from '../../src/protocol/messages.js';

const NOWHERE = channelId(77);

class Env {
  readonly sent: HostToGuestMessage[] = [];
  readonly wire = new Wire(new TraceLog(false));
  readonly host = new HostVmbus(this.wire, new Sideband(), { opened: () => undefined, closed: () => undefined });
  constructor() {
    this.wire.connect({ host: (m) => this.host.receive(m), guest: (m) => this.sent.push(m) });
  }
  send(message: GuestToHostMessage): unknown {
    const before = this.host.errors.length;
    this.wire.toHost(message);
    return this.host.errors.length === before ? undefined : this.host.errors.at(-1);
  }
  ring(channel: ChannelId, id: number): void {
    for (const m of buildGpadlMessages(channel, gpadlHandle(id), [{ byteOffset: 0, byteCount: 4 * 4096, pfns: Float64Array.of(1, 2, 3, 4) }])) this.wire.toHost(m);
  }
  open(channel: ChannelId, ring: number): unknown {
    return this.send({ type: 'OPENCHANNEL', childRelid: channel, openId: 1, ringBufferGpadlHandle: gpadlHandle(ring), targetVp: 0, downstreamRingBufferPageOffset: 2 });
  }
}

describe('the host VMBus records a protocol error', () => {
  it('for OPENCHANNEL, CLOSECHANNEL and RELID_RELEASED naming a channel it does not know', () => {
    const env = new Env();
    expect(env.open(NOWHERE, 1)).toEqual({ kind: 'UnknownChannelId', channel: NOWHERE });
    expect(env.send({ type: 'CLOSECHANNEL', childRelid: NOWHERE })).toEqual({ kind: 'UnknownChannelId', channel: NOWHERE });
    expect(env.send({ type: 'RELID_RELEASED', childRelid: NOWHERE })).toEqual({ kind: 'UnknownChannelId', channel: NOWHERE });
  });

  it('for OPENCHANNEL of an open channel, CLOSECHANNEL of a closed one and RELID_RELEASED of one not rescinded', () => {
    const env = new Env();
    const c = env.host.offer();
    expect(env.send({ type: 'CLOSECHANNEL', childRelid: c })).toEqual({ kind: 'InvalidChannelState', channel: c, state: 'Offered' });
    expect(env.send({ type: 'RELID_RELEASED', childRelid: c })).toEqual({ kind: 'InvalidChannelState', channel: c, state: 'Offered' });
    env.ring(c, 5);
    expect(env.open(c, 5)).toBeUndefined();
    expect(env.open(c, 5)).toEqual({ kind: 'InvalidChannelState', channel: c, state: 'Open' });
    expect(env.send({ type: 'CLOSECHANNEL', childRelid: c })).toBeUndefined();
    expect(env.send({ type: 'CLOSECHANNEL', childRelid: c })).toEqual({ kind: 'InvalidChannelState', channel: c, state: 'Offered' });
  });

  it('for a GPADL_BODY of a GPADL that is already complete, or that it never heard of', () => {
    const env = new Env();
    const c = env.host.offer();
    env.ring(c, 5);
    const body: GuestToHostMessage = { type: 'GPADL_BODY', msgNumber: 0, gpadl: gpadlHandle(5), rangeData: new Uint8Array(8) };
    expect(env.send(body)).toEqual({ kind: 'UnknownGpadlId', gpadl: gpadlHandle(5) });
    expect(env.send({ ...body, gpadl: gpadlHandle(6) })).toEqual({ kind: 'UnknownGpadlId', gpadl: gpadlHandle(6) });
  });
});

describe('the host VMBus refuses directives and holds on channels it does not have', () => {
  it('direct, answerDeferred, hold and release of an unknown or revoked channel are false', () => {
    const env = new Env();
    expect(env.host.direct(NOWHERE, 'refuseGpadl')).toBe(false);
    expect(env.host.answerDeferred(NOWHERE)).toBe(false);
    expect(env.host.hold(NOWHERE, gpadlHandle(1))).toBe(false);
    expect(env.host.release(NOWHERE, gpadlHandle(1))).toBe(false);
    const c = env.host.offer();
    expect(env.host.direct(c, 'refuseGpadl')).toBe(true);
    expect(env.host.answerDeferred(c)).toBe(false);
    env.host.revoke(c);
    expect(env.host.direct(c, 'refuseGpadl')).toBe(false);
  });
});
