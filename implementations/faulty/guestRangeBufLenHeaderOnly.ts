/**
 * `faulty:guestRangeBufLenHeaderOnly`. The lie: the GPADL_HEADER's range_buflen counts only the
 * page numbers the header itself carries, not those that follow in GPADL_BODY messages. The host
 * then takes the page list as complete after the header and refuses a GPADL of more than 26 pages
 * (too few page numbers for its byte count), so such creates fail. Such a header cannot pass the
 * byte codec (its range_buflen disagrees with its range), so this guest sends values, not bytes.
 *
 * Must be caught by WIRE-04 (range_buflen = 8 + 8N), WIRE-07 (no bytes), and every rule that
 * creates a GPADL of more than 26 pages: CREATE-02, CREATE-04, CREATE-09, CREATE-19, WIRE-01,
 * WIRE-02, WIRE-03 and WIRE-05 (whose first scenario creates a 40-page GPADL), and MAP-14 (whose
 * MDL outline maps GPADLs of 27 pages and more); MAP-14 judges the host, so not as a guest half.
 */
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';
import { interceptToHost } from './_internals/interceptToHost.js';

export const catches = ['CREATE-02', 'CREATE-04', 'CREATE-09', 'CREATE-19', 'MAP-14', 'WIRE-01', 'WIRE-02', 'WIRE-03', 'WIRE-04', 'WIRE-05', 'WIRE-07'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = ['CREATE-02', 'CREATE-04', 'CREATE-09', 'CREATE-19', 'WIRE-01', 'WIRE-02', 'WIRE-03', 'WIRE-04', 'WIRE-05', 'WIRE-07'] as const;

class GuestRangeBufLenHeaderOnly extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super({ wireBytes: false, ...options });
    interceptToHost(this.wire, (message, send) => send(message.type === 'GPADL_HEADER' ? { ...message, rangeBufLen: message.rangeData.length } : message));
  }
}

export default faulty('guestRangeBufLenHeaderOnly', 'range_buflen counts only the page numbers in the GPADL_HEADER', catches, (options) => new GuestRangeBufLenHeaderOnly(options), { guest: catchesAsGuest });
