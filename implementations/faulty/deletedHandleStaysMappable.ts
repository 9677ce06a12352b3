/**
 * `faulty:deletedHandleStaysMappable`. The lie: once a delete has completed, the host forgets the
 * GPADL everywhere but in map: the server can still map the deleted handle and reach pages the
 * client may already have freed.
 *
 * Must be caught by MAP-08 (a map of a deleted GPADL fails) and MAP-09 (with
 * STATUS_INVALID_PARAMETER).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult, OperationStart } from '../../src/contract/Implementation.js';
import type { HostGpadl } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MAP-08', 'MAP-09'] as const;

class DeletedHandleStaysMappable extends ReferenceVmbus {
  /** The host's entries of GPADLs the client deleted, by handle. */
  private readonly deleted = new Map<GpadlHandle, HostGpadl>();

  override deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): OperationStart {
    const channel = this.guest.gpadls.get(gpadl)?.channel;
    const entry = channel === undefined ? undefined : this.host.channel(channel)?.gpadls.get(gpadl);
    const start = super.deleteGpadl(endpoint, gpadl);
    if (entry !== undefined && entry.channel.gpadls.get(gpadl) !== entry) this.deleted.set(gpadl, entry);
    return start;
  }

  /** A map of a deleted handle on its channel finds the old entry again, as if it were accepted. */
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const server = this.live(endpoint);
    const channel = server?.role === 'server' && server.channel !== null ? this.host.channel(server.channel) : undefined;
    const ghost = this.deleted.get(gpadl);
    if (channel === undefined || ghost === undefined || ghost.channel !== channel || channel.gpadls.has(gpadl)) {
      return super.mapGpadl(endpoint, flags, gpadl);
    }
    ghost.state = { kind: 'Accepted' };
    ghost.mapped = false;
    channel.gpadls.set(gpadl, ghost);
    try {
      return super.mapGpadl(endpoint, flags, gpadl);
    } finally {
      channel.gpadls.delete(gpadl);
    }
  }
}

export default faulty('deletedHandleStaysMappable', 'the server can map a GPADL the client has deleted', catches, (options) => new DeletedHandleStaysMappable(options));
