/**
 * The KMCL layer of the reference model, for the paths the features reach only indirectly:
 * rescind and release, re-open after close, leaks at cleanup, the ring-buffer GPADL, size limits.
 */
import { describe, expect, it } from 'vitest';
import {
  gpadlFlags,
  gpadlHandle,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  type EndpointHandle,
  type GpadlHandle,
} from '../../src/contract/index.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

const RW = gpadlFlags(0);

class Env {
  readonly vmbus = new ReferenceVmbus();
  readonly server: EndpointHandle;
  readonly client: EndpointHandle;
  constructor() {
    this.server = this.vmbus.allocateChannel({ role: 'server' }).endpoint!;
    this.client = this.vmbus.allocateChannel({ role: 'client', server: this.server }).endpoint!;
    expect(this.vmbus.enableChannel(this.server)).toBe(STATUS_SUCCESS);
    expect(this.vmbus.enableChannel(this.client)).toBe(STATUS_SUCCESS);
  }
  gpadl(pages = 1): GpadlHandle {
    const buffer = this.vmbus.allocateBuffer({ byteCount: pages * 4096 }).buffer!;
    const created = this.vmbus.createGpadlFromBuffer(this.client, RW, buffer, pages * 4096);
    expect(created.status).toBe(STATUS_SUCCESS);
    return created.gpadl!;
  }
  /** The channel messages since the last call, as "G>H TYPE" lines. */
  private seen = 0;
  messages(): string[] {
    const events = this.vmbus.trace();
    const fresh = events.slice(this.seen);
    this.seen = events.length;
    return fresh.flatMap((e) => (e.kind === 'message' ? [`${e.direction === 'guest-to-host' ? 'G>H' : 'H>G'} ${e.message.type}`] : []));
  }
  state(endpoint: EndpointHandle): string {
    return this.vmbus.endpointInfo(endpoint).info!.state;
  }
  violations(): string[] {
    return this.vmbus.violations().map((v) => v.kind);
  }
}

describe('ReferenceVmbus', () => {
  it('gives the ring-buffer GPADL the first handle and counts up from there', () => {
    const env = new Env();
    expect(env.vmbus.endpointInfo(env.client).info!.ringGpadl).toBe(gpadlHandle(0xe1e10));
    expect([env.gpadl(), env.gpadl()]).toEqual([0xe1e11, 0xe1e12]);
  });

  it('keeps the ring-buffer GPADL away from map and delete', () => {
    const env = new Env();
    const ring = env.vmbus.endpointInfo(env.client).info!.ringGpadl!;
    expect(env.vmbus.mapGpadl(env.server, RW, ring).status).toBe(STATUS_INVALID_PARAMETER);
    expect(env.vmbus.deleteGpadl(env.client, ring).state).toBe('completed');
    expect(env.violations()).toEqual(['DeleteOfUnknownGpadl']);
    expect(env.state(env.client)).toBe('Opened');
  });

  it('closes before tearing the ring down, reports GPADLs left live, and keeps them deletable', () => {
    const env = new Env();
    const left = env.gpadl();
    env.messages();
    env.vmbus.disableChannel(env.client);
    expect(env.messages()).toEqual(['G>H CLOSECHANNEL', 'G>H GPADL_TEARDOWN', 'H>G GPADL_TORNDOWN']);
    expect(env.violations()).toEqual(['GpadlLiveAtClose']);
    expect([env.state(env.client), env.state(env.server)]).toEqual(['Disabled', 'Closed']);
    expect(env.vmbus.mapGpadl(env.server, RW, left).status).toBe(STATUS_INVALID_DEVICE_STATE);
    expect(env.vmbus.deleteGpadl(env.client, left).state).toBe('completed');
    expect(env.messages()).toEqual(['G>H GPADL_TEARDOWN', 'H>G GPADL_TORNDOWN']);
  });

  it('re-opens a closed channel with a new ring-buffer GPADL', () => {
    const env = new Env();
    env.vmbus.disableChannel(env.client);
    env.messages();
    expect(env.vmbus.enableChannel(env.client)).toBe(STATUS_SUCCESS);
    expect(env.messages()).toEqual(['G>H GPADL_HEADER', 'H>G GPADL_CREATED', 'G>H OPENCHANNEL', 'H>G OPENCHANNEL_RESULT']);
    expect([env.state(env.client), env.state(env.server)]).toEqual(['Opened', 'Opened']);
  });

  it('after a rescind, deletes complete without a message and cleanup releases the channel', () => {
    const env = new Env();
    const left = env.gpadl();
    const buffer = env.vmbus.allocateBuffer({ byteCount: 10 }).buffer!;
    env.messages();
    env.vmbus.disableChannel(env.server);
    expect(env.messages()).toEqual(['H>G RESCIND_CHANNELOFFER']);
    expect(env.state(env.client)).toBe('Disabled');
    expect(env.vmbus.createGpadlFromBuffer(env.client, RW, buffer, 10).status).toBe(STATUS_INVALID_DEVICE_STATE);
    expect(env.vmbus.deleteGpadl(env.client, left).state).toBe('completed');
    expect(env.messages()).toEqual([]);
    env.vmbus.cleanupChannel(env.client);
    expect(env.messages()).toEqual(['G>H RELID_RELEASED']);
    expect(env.violations()).toEqual([]);
  });

  it('releases a rescinded channel at once when no client ever opened it', () => {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    vmbus.enableChannel(server);
    vmbus.disableChannel(server);
    const types = vmbus.trace().flatMap((e) => (e.kind === 'message' ? [e.message.type] : []));
    expect(types).toEqual(['OFFERCHANNEL', 'RESCIND_CHANNELOFFER', 'RELID_RELEASED']);
  });

  it('reports leaks at cleanup and releases a leaked mapping, completing the delete that waited for it', () => {
    const env = new Env();
    const mapped = env.gpadl();
    const leaked = env.gpadl();
    expect(env.vmbus.mapGpadl(env.server, RW, mapped).status).toBe(STATUS_SUCCESS);
    const deleting = env.vmbus.deleteGpadl(env.client, mapped);
    env.vmbus.cleanupChannel(env.client);
    expect(env.violations()).toEqual(['CleanupOfEnabledChannel']);
    env.vmbus.disableChannel(env.client);
    env.vmbus.cleanupChannel(env.client);
    env.vmbus.disableChannel(env.server);
    env.vmbus.cleanupChannel(env.server);
    expect(env.violations()).toEqual(['CleanupOfEnabledChannel', 'GpadlLiveAtClose', 'GpadlLeakedAtCleanup', 'MappingLiveAtDisable', 'MappingLeakedAtCleanup']);
    expect(env.vmbus.operationState(deleting.operation)).toBe('completed');
    expect(env.vmbus.violations()[2]!.gpadl).toBe(leaked);
    expect(env.vmbus.violations()[3]!.gpadl).toBe(mapped);
    env.vmbus.deleteGpadl(env.client, leaked);
    expect(env.violations().at(-1)).toBe('InvalidEndpointHandle');
  });

  it('describes an MDL chain as one range per MDL and maps it as an MDL chain', () => {
    const env = new Env();
    const a = env.vmbus.allocateBuffer({ byteCount: 5000, byteOffset: 100 }).buffer!;
    const b = env.vmbus.allocateBuffer({ byteCount: 3000 }).buffer!;
    const mdl = env.vmbus.buildMdl([{ buffer: a }, { buffer: b }]).mdl!;
    const created = env.vmbus.createGpadlFromMdl(env.client, RW, mdl, 4000, 0);
    expect(created.status).toBe(STATUS_SUCCESS);
    const header = env.vmbus.trace().findLast((e) => e.kind === 'message' && e.message.type === 'GPADL_HEADER');
    expect(header?.kind === 'message' && header.message.type === 'GPADL_HEADER' && header.message.rangeCount).toBe(2);
    const chain = env.vmbus.describeMdl(env.vmbus.mapGpadl(env.server, RW, created.gpadl!).mdl!).chain!;
    const pa = env.vmbus.describeBuffer(a).description!.pfns;
    const pb = env.vmbus.describeBuffer(b).description!.pfns;
    expect(chain.map((m) => [m.byteOffset, m.byteCount, m.pfns])).toEqual([
      [(100 + 4000) % 4096, 1000, pa.slice(1, 2)],
      [0, 3000, pb],
    ]);
  });

  it('refuses more than 8190 pages in a range before sending anything', () => {
    const env = new Env();
    const buffer = env.vmbus.allocateBuffer({ byteCount: 8191 * 4096 }).buffer!;
    env.messages();
    expect(env.vmbus.createGpadlFromBuffer(env.client, RW, buffer, 8191 * 4096).status).toBe(STATUS_INVALID_PARAMETER);
    expect(env.messages()).toEqual([]);
    expect(env.vmbus.createGpadlFromBuffer(env.client, RW, buffer, 8190 * 4096).status).toBe(STATUS_SUCCESS);
    expect(env.messages().length).toBe(294);
  });

  // Found by the differential test of the whole against its halves (test/pairing/differential.test.ts);
  // it threw a TypeError (reading lockCount) where the contract says a status.
  it('refuses a create from the MDL that a server mapping returned, which describes no buffer of the client', () => {
    const env = new Env();
    const buffer = env.vmbus.allocateBuffer({ byteCount: 8192 }).buffer!;
    const gpadl = env.vmbus.createGpadlFromBuffer(env.client, RW, buffer, 8192).gpadl!;
    const mdl = env.vmbus.mapGpadl(env.server, RW, gpadl).mdl!;
    env.messages();
    expect(env.vmbus.createGpadlFromMdl(env.client, RW, mdl, 0, 100).status).toBe(STATUS_INVALID_PARAMETER);
    expect(env.messages()).toEqual([]);
  });
});
