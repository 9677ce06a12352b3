/**
 * `faulty:serverCleanupKeepsMapping`. The lie: the server's cleanup records each mapping it leaked
 * as MappingLeakedAtCleanup but does not release it: the MDL that map returned stays alive, and the
 * server can still read and write the client's buffer through it after its endpoint is gone.
 *
 * Must be caught by CHAN-25 (the cleanup records every leaked mapping and releases it as an unmap
 * would: its MDL dies, choice G21).
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-25'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-25'] as const;

class ServerCleanupKeepsMapping extends ReferenceVmbus {
  /** Puts the MDLs of the mappings the cleanup released back, as they were. */
  override cleanupChannel(endpoint: EndpointHandle): void {
    const server = this.live(endpoint);
    const kept = server?.role === 'server' ? [...server.mappings.values()].map((mapping) => [mapping.mdl, this.mdls.get(mapping.mdl)] as const) : [];
    super.cleanupChannel(endpoint);
    for (const [mdl, record] of kept) if (record !== undefined && !this.mdls.has(mdl)) this.mdls.set(mdl, record);
  }
}

export default faulty('serverCleanupKeepsMapping', "the server's cleanup leaves the MDL of a leaked mapping usable", catches, (options) => new ServerCleanupKeepsMapping(options), { host: catchesAsHost });
