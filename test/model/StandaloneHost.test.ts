/**
 * The `wireHost` surface of the reference model: a standalone host that takes guest-to-host bytes
 * and returns every host-to-guest message it caused, encoded; device holds; revoke; unreadable
 * messages dropped (choice G23). Also through the in-process adapter and the plug-in codec.
 */
import { describe, expect, it } from 'vitest';
import { inProcess } from '../../src/adapters/inProcess.js';
import { channelId, gpadlHandle, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../src/contract/index.js';
import { StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { buildGpadlMessages } from '../../src/protocol/buildGpadlMessages.js';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec.js';
import type { ChannelMessage } from '../../src/protocol/messages.js';
import { encodeRanges } from '../../src/protocol/ranges.js';
import { decodeArguments, decodeResult, encodeArguments, encodeResult } from '../../src/plugin/codec.js';

const pages = (n: number) => ({ byteOffset: 0, byteCount: n * 4096, pfns: Float64Array.from({ length: n }, (_, i) => 0x100 + i) });
const decoded = (replies: readonly Uint8Array[]): ChannelMessage[] =>
  replies.map((bytes) => {
    const result = decodeMessage(bytes);
    if (!result.ok) throw new Error(result.error.message);
    return result.message;
  });

describe('StandaloneHost', () => {
  it('offers a channel and answers a GPADL only after its last body, as bytes', () => {
    const host = new StandaloneHost();
    const { channelId: ch, replies } = host.offer();
    expect(decoded(replies)).toEqual([expect.objectContaining({ type: 'OFFERCHANNEL', childRelid: ch })]);
    const [header, ...bodies] = buildGpadlMessages(ch, gpadlHandle(0xe1e10), [pages(60)]);
    expect(host.receive(encodeMessage(header)).replies).toEqual([]);
    expect(host.receive(encodeMessage(bodies[0]!)).replies).toEqual([]);
    expect(decoded(host.receive(encodeMessage(bodies[1]!)).replies)).toEqual([{ type: 'GPADL_CREATED', childRelid: ch, gpadl: 0xe1e10, creationStatus: 0 }]);
  });

  it('refuses a range too small for its byte count even though range_buflen disagrees with it', () => {
    const host = new StandaloneHost();
    const ch = host.offer().channelId;
    const rangeData = encodeRanges([{ byteOffset: 0, byteCount: 3 * 4096, pfns: Float64Array.of(7) }]);
    const bytes = encodeMessage({ type: 'GPADL_HEADER', childRelid: ch, gpadl: gpadlHandle(5), rangeBufLen: rangeData.length, rangeCount: 1, rangeData });
    expect(decoded(host.receive(bytes).replies)).toEqual([{ type: 'GPADL_CREATED', childRelid: ch, gpadl: 5, creationStatus: 0x8000ffff }]);
  });

  it('drops what it cannot read, without a reply (G23)', () => {
    const host = new StandaloneHost();
    const ch = host.offer().channelId;
    const header = encodeMessage(buildGpadlMessages(ch, gpadlHandle(1), [pages(1)])[0]);
    const long = new Uint8Array(248);
    long.set(header);
    expect(host.receive(long).replies).toEqual([]);
    expect(host.receive(new Uint8Array(4)).replies).toEqual([]);
    expect(host.receive(encodeMessage({ type: 'GPADL_TORNDOWN', gpadl: gpadlHandle(1) })).replies).toEqual([]);
    expect(host.unreadable).toHaveLength(3);
    expect(host.host.channel(ch)?.gpadls.size).toBe(0);
  });

  it('holds GPADL_TORNDOWN back until every device has released the GPADL', () => {
    const host = new StandaloneHost();
    const ch = host.offer().channelId;
    host.receive(encodeMessage(buildGpadlMessages(ch, gpadlHandle(9), [pages(2)])[0]));
    expect(host.hold(ch, gpadlHandle(9))).toBe(true);
    expect(host.hold(ch, gpadlHandle(9))).toBe(true);
    expect(host.receive(encodeMessage({ type: 'GPADL_TEARDOWN', childRelid: ch, gpadl: gpadlHandle(9) })).replies).toEqual([]);
    expect(host.hold(ch, gpadlHandle(9))).toBe(false);
    expect(host.release(ch, gpadlHandle(9))).toEqual({ released: true, replies: [] });
    const last = host.release(ch, gpadlHandle(9));
    expect(last.released).toBe(true);
    expect(decoded(last.replies)).toEqual([{ type: 'GPADL_TORNDOWN', gpadl: 9 }]);
    expect(host.release(ch, gpadlHandle(9)).released).toBe(false);
  });

  it('revokes: RESCIND_CHANNELOFFER, then the teardowns still waiting', () => {
    const host = new StandaloneHost();
    const ch = host.offer().channelId;
    host.receive(encodeMessage(buildGpadlMessages(ch, gpadlHandle(9), [pages(2)])[0]));
    host.hold(ch, gpadlHandle(9));
    host.receive(encodeMessage({ type: 'GPADL_TEARDOWN', childRelid: ch, gpadl: gpadlHandle(9) }));
    expect(decoded(host.revoke(ch).replies)).toEqual([{ type: 'RESCIND_CHANNELOFFER', childRelid: ch }, { type: 'GPADL_TORNDOWN', gpadl: 9 }]);
  });

  describe('a device drops a view of a GPADL already gone (OpenVMM: dropping a GpadlView never fails)', () => {
    function held(): { host: StandaloneHost; ch: ReturnType<StandaloneHost['offer']>['channelId'] } {
      const host = new StandaloneHost();
      const ch = host.offer().channelId;
      host.receive(encodeMessage(buildGpadlMessages(ch, gpadlHandle(9), [pages(2)])[0]));
      expect(host.hold(ch, gpadlHandle(9))).toBe(true);
      return { host, ch };
    }
    const teardown = (ch: number) => encodeMessage({ type: 'GPADL_TEARDOWN', childRelid: channelId(ch), gpadl: gpadlHandle(9) });

    it('after the revoke answered its teardown: the release succeeds and sends nothing, once', () => {
      const { host, ch } = held();
      host.receive(teardown(ch));
      host.revoke(ch);
      expect(host.release(ch, gpadlHandle(9))).toEqual({ released: true, replies: [] });
      expect(host.release(ch, gpadlHandle(9)).released).toBe(false);
    });

    it('after a teardown on the revoked channel, answered at once', () => {
      const { host, ch } = held();
      host.revoke(ch);
      expect(decoded(host.receive(teardown(ch)).replies)).toEqual([{ type: 'GPADL_TORNDOWN', gpadl: 9 }]);
      expect(host.release(ch, gpadlHandle(9))).toEqual({ released: true, replies: [] });
    });

    it('after RELID_RELEASED, and two views need two releases', () => {
      const { host, ch } = held();
      expect(host.hold(ch, gpadlHandle(9))).toBe(true);
      host.revoke(ch);
      expect(host.receive(encodeMessage({ type: 'RELID_RELEASED', childRelid: ch })).replies).toEqual([]);
      expect(host.release(ch, gpadlHandle(9))).toEqual({ released: true, replies: [] });
      expect(host.release(ch, gpadlHandle(9))).toEqual({ released: true, replies: [] });
      expect(host.release(ch, gpadlHandle(9)).released).toBe(false);
    });

    it('after an unload: the last release lets UNLOAD_RESPONSE go', () => {
      const { host, ch } = held();
      expect(host.receive(encodeMessage({ type: 'UNLOAD' })).replies).toEqual([]);
      expect(decoded(host.release(ch, gpadlHandle(9)).replies)).toEqual([{ type: 'UNLOAD_RESPONSE' }]);
      expect(host.release(ch, gpadlHandle(9)).released).toBe(false);
    });

    it('the view is of the GPADL gone, not of a new GPADL that took its id on the revoked channel', () => {
      const { host, ch } = held();
      host.receive(teardown(ch));
      host.revoke(ch);
      host.receive(encodeMessage(buildGpadlMessages(ch, gpadlHandle(9), [pages(1)])[0]));
      expect(host.release(ch, gpadlHandle(9))).toEqual({ released: true, replies: [] });
      expect(host.release(ch, gpadlHandle(9)).released).toBe(false);
      expect(decoded(host.receive(teardown(ch)).replies)).toEqual([{ type: 'GPADL_TORNDOWN', gpadl: 9 }]);
    });
  });
});

describe('the reference model as a host on the wire', () => {
  it('claims wireHost and keeps its host apart from its KMCL channels', async () => {
    const vmbus = inProcess(new ReferenceVmbus());
    expect(vmbus.info.capabilities.wireHost).toBe(true);
    const { channelId: ch } = await vmbus.hostOffer!();
    expect(ch).toBe(1);
    const server = (await vmbus.allocateChannel({ role: 'server' })).endpoint!;
    expect(await vmbus.enableChannel(server)).toBe(STATUS_SUCCESS);
    expect((await vmbus.endpointInfo(server)).info?.channelId).toBe(1);
    expect(await vmbus.hostHold!(ch, gpadlHandle(3))).toBe(STATUS_INVALID_PARAMETER);
    expect((await vmbus.hostRelease!(ch, gpadlHandle(3))).status).toBe(STATUS_INVALID_PARAMETER);
    expect(decoded((await vmbus.hostRevoke!(ch)).replies)).toEqual([{ type: 'RESCIND_CHANNELOFFER', childRelid: ch }]);
  });

  it('leaves out the host methods of an implementation that has none', () => {
    const bare = new ReferenceVmbus() as unknown as Record<string, unknown>;
    const without = Object.create(bare, { hostOffer: { value: undefined } }) as ReferenceVmbus;
    expect(inProcess(without).hostOffer).toBeUndefined();
  });

  it('carries the host commands over the plug-in codec, bytes as hex', () => {
    const bytes = Uint8Array.of(8, 0, 0, 0, 0xff);
    const request = encodeArguments('hostReceive', [bytes]);
    expect(request).toEqual({ message: '08000000ff' });
    expect(decodeArguments('hostReceive', request)).toEqual([bytes]);
    const result = encodeResult('hostRelease', { status: STATUS_SUCCESS, replies: [Uint8Array.of(12, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0)] });
    expect(result).toEqual({ status: 0, replies: ['0c000000000000000900000000'.slice(0, 24)] });
    expect(decodeResult('hostRelease', result)).toEqual({ status: STATUS_SUCCESS, replies: [Uint8Array.of(12, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0)] });
    expect(decodeResult('hostOffer', { channelId: 4, replies: [] })).toEqual({ channelId: channelId(4), replies: [] });
  });
});
