/**
 * `faulty:allowsWriteMapOfReadOnly`. The lie: a map for write access of a GPADL the client created
 * read-only succeeds.
 *
 * Must be caught by MAP-01 (a write map succeeds only for a writable GPADL), MAP-02 (it fails with
 * STATUS_ACCESS_DENIED), CREATE-05 (both names of the read-only flag refuse a write map) and
 * CREATE-17 (so does the flag of a create from an MDL).
 */
import { isReadOnly, type GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-05', 'CREATE-17', 'MAP-01', 'MAP-02'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CREATE-05', 'CREATE-17', 'MAP-01', 'MAP-02'] as const;

class AllowsWriteMapOfReadOnly extends ReferenceVmbus {
  /** Treats the GPADL as writable for the length of a write map. */
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const server = this.live(endpoint);
    const channel = server?.role === 'server' && server.channel !== null ? this.host.channel(server.channel) : undefined;
    const entry = channel?.gpadls.get(gpadl);
    const lifted = entry?.readOnly === true && !isReadOnly(flags);
    if (lifted) entry!.readOnly = false;
    try {
      return super.mapGpadl(endpoint, flags, gpadl);
    } finally {
      if (lifted) entry!.readOnly = true;
    }
  }
}

export default faulty('allowsWriteMapOfReadOnly', 'a write map of a read-only GPADL succeeds', catches, (options) => new AllowsWriteMapOfReadOnly(options), { host: catchesAsHost });
