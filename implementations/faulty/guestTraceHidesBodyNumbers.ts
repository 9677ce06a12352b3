/**
 * `faulty:guestTraceHidesBodyNumbers`. The lie, told twice: the guest numbers its GPADL_BODY
 * messages 1, 2, 3… in msgnumber instead of leaving it 0 (choice G16), and the trace it reports
 * shows them as 0. The host ignores the field, so nothing else changes.
 *
 * This is why the harness carries the wire. Judged as a whole implementation, by the trace it
 * reports about itself, it passes every rule: the lie is invisible. As a guest half paired with the
 * reference host, the harness traces the bytes that crossed, and CREATE-19 (every GPADL_BODY
 * carries msgnumber 0) catches it.
 */
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = [] as const;
/** With the harness carrying the wire (docs/halves.md). */
export const catchesAsGuest = ['CREATE-19'] as const;

class GuestTraceHidesBodyNumbers extends ReferenceVmbus {
  private bodies = 0;

  constructor(options?: ReferenceOptions) {
    super(options);
  }

  // After the trace: the bytes that really go out are not the ones the trace shows.
  protected override hostEnd(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_HEADER') this.bodies = 0;
    super.hostEnd(message.type === 'GPADL_BODY' ? { ...message, msgNumber: ++this.bodies } : message);
  }
}

export default faulty('guestTraceHidesBodyNumbers', 'GPADL_BODY carries msgnumber 1, 2, 3… while the trace it reports shows 0', catches, (options) => new GuestTraceHidesBodyNumbers(options), { guest: catchesAsGuest });
