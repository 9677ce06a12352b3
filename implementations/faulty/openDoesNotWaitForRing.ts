/**
 * `faulty:openDoesNotWaitForRing`. The lie: the open sends OPENCHANNEL as soon as it has sent its
 * ring-buffer GPADL, without waiting for GPADL_CREATED; when the host holds that answer back, the
 * host refuses the open (its ring is not yet an accepted GPADL) and the client endpoint stays
 * Enabled.
 *
 * Must be caught by WIRE-08 (OPENCHANNEL, sent once the host has answered GPADL_CREATED, names the
 * ring-buffer GPADL) and WIRE-15 (whose scenario holds the ring's answer back, then refuses the
 * open). As a guest half every ring's answer comes after the enable, so every open sends OPENCHANNEL
 * early and again when the answer comes: WIRE-08, WIRE-14 and WIRE-15.
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import type { NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WIRE-08', 'WIRE-15'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md). */
export const catchesAsGuest = ['WIRE-08', 'WIRE-14', 'WIRE-15'] as const;

class OpenDoesNotWaitForRing extends ReferenceVmbus {
  override enableChannel(endpoint: EndpointHandle): NtStatus {
    const status = super.enableChannel(endpoint);
    const client = this.live(endpoint);
    const ring = client?.role === 'client' ? client.opening : null;
    if (client?.role !== 'client' || ring === null) return status;
    this.guest.openChannel(ring.channel, ring, client.ringPages.outgoing, (opened) => {
      if (opened) return;
      // The open failed: it gives up, and the ring's late answer finds no open waiting for it.
      if (client.opening === ring) client.opening = null;
    });
    return status;
  }
}

export default faulty('openDoesNotWaitForRing', "OPENCHANNEL is sent without waiting for the ring-buffer GPADL's GPADL_CREATED", catches, (options) => new OpenDoesNotWaitForRing(options), { guest: catchesAsGuest });
