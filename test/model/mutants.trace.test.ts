/**
 * The trace's call and return events of the KMCL functions: their names and arguments, which no
 * rule reads (the rules read the messages), so mutation testing (docs/mutation.md) found them
 * unchecked. This pins them for one life cycle of a channel with two GPADLs.
 */
import { expect, it } from 'vitest';
import { gpadlFlags } from '../../src/contract/index.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

it('traces each KMCL call with its name and arguments, and its return with its status', () => {
  const v = new ReferenceVmbus();
  const server = v.allocateChannel({ role: 'server' }).endpoint!;
  const client = v.allocateChannel({ role: 'client', server }).endpoint!;
  v.setRingBufferPageCount(client, 2, 3);
  v.enableChannel(server);
  v.enableChannel(client);
  const buffer = v.allocateBuffer({ byteCount: 8192 }).buffer!;
  const g = v.createGpadlFromBuffer(client, gpadlFlags(0), buffer, 8192).gpadl!;
  const mdl = v.buildMdl([{ buffer }]).mdl!;
  const g2 = v.createGpadlFromMdl(client, gpadlFlags(0), mdl, 0, 4096).gpadl!;
  v.mapGpadl(server, gpadlFlags(0), g);
  v.unmapGpadl(server, g);
  v.deleteGpadl(client, g);
  v.deleteGpadl(client, g2);
  v.disableChannel(client);
  v.disableChannel(server);
  v.cleanupChannel(client);
  v.cleanupChannel(server);
  const call = (fn: string, args: Record<string, unknown>) => [{ kind: 'call', fn, args }, { kind: 'return', fn, status: 0 }];
  const voidCall = (fn: string, args: Record<string, unknown>) => [{ kind: 'call', fn, args }, { kind: 'return', fn }];
  expect(v.trace().filter((e) => e.kind === 'call' || e.kind === 'return')).toEqual([
    ...call('VmbChannelAllocate', { role: 'server' }),
    ...call('VmbChannelAllocate', { role: 'client', server }),
    ...call('VmbClientChannelInitSetRingBufferPageCount', { endpoint: client, incomingPages: 2, outgoingPages: 3 }),
    ...call('VmbChannelEnable', { endpoint: server }),
    ...call('VmbChannelEnable', { endpoint: client }),
    ...call('VmbChannelCreateGpadlFromBuffer', { endpoint: client, flags: 0, buffer, byteCount: 8192 }),
    ...call('VmbChannelCreateGpadlFromMdl', { endpoint: client, flags: 0, mdl, startOffset: 0, length: 4096 }),
    ...call('VmbChannelMapGpadl', { endpoint: server, flags: 0, gpadl: g }),
    ...voidCall('VmbChannelUnmapGpadl', { endpoint: server, gpadl: g }),
    ...voidCall('VmbChannelDeleteGpadl', { endpoint: client, gpadl: g }),
    ...voidCall('VmbChannelDeleteGpadl', { endpoint: client, gpadl: g2 }),
    ...voidCall('VmbChannelDisable', { endpoint: client }),
    ...voidCall('VmbChannelDisable', { endpoint: server }),
    ...voidCall('VmbChannelCleanup', { endpoint: client }),
    ...voidCall('VmbChannelCleanup', { endpoint: server }),
  ]);
});

it('records the violations of a disable and cleanups out of order, each with its function, endpoint and GPADL', () => {
  const v = new ReferenceVmbus();
  const server = v.allocateChannel({ role: 'server' }).endpoint!;
  const client = v.allocateChannel({ role: 'client', server }).endpoint!;
  v.enableChannel(server);
  v.enableChannel(client);
  const buffer = v.allocateBuffer({ byteCount: 8192 }).buffer!;
  const gpadl = v.createGpadlFromBuffer(client, gpadlFlags(0), buffer, 8192).gpadl!;
  v.mapGpadl(server, gpadlFlags(0), gpadl);
  v.cleanupChannel(server);
  v.disableChannel(server);
  v.disableChannel(client);
  v.cleanupChannel(client);
  v.cleanupChannel(server);
  expect(v.violations()).toEqual([
    { kind: 'CleanupOfEnabledChannel', fn: 'VmbChannelCleanup', endpoint: server, message: 'VmbChannelCleanup of a channel that is not disabled' },
    {
      kind: 'MappingLiveAtDisable', fn: 'VmbChannelDisable', endpoint: server, gpadl,
      message: 'the server disabled its channel while it still had a GPADL mapped (the guest may free those pages)',
    },
    { kind: 'GpadlLeakedAtCleanup', fn: 'VmbChannelCleanup', endpoint: client, gpadl, message: 'a GPADL never deleted before VmbChannelCleanup' },
    {
      kind: 'MappingLeakedAtCleanup', fn: 'VmbChannelCleanup', endpoint: server, gpadl,
      message: 'a mapping never unmapped before VmbChannelCleanup of the server endpoint',
    },
  ]);
});
