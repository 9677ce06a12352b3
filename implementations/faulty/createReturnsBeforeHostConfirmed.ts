/**
 * `faulty:createReturnsBeforeHostConfirmed`. The lie: create returns as soon as the guest has sent
 * the GPADL (GPADL_HEADER and any GPADL_BODY), before the host's GPADL_CREATED: the trace shows the
 * return ahead of the confirmation. (The model still delivers the confirmation within the call, so
 * a map right after the create happens to succeed; only the trace tells.)
 *
 * Must be caught by CREATE-04 (create returns only after GPADL_CREATED).
 */
import type { NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-04'] as const;

class CreateReturnsBeforeHostConfirmed extends ReferenceVmbus {
  /** Moves the return of a create ahead of the GPADL_CREATED that answered it. */
  protected override traced<T extends { status: NtStatus }>(fn: string, args: Record<string, unknown>, body: () => T): T {
    const result = super.traced(fn, args, body);
    if (!fn.startsWith('VmbChannelCreateGpadlFrom')) return result;
    const events = this.log.events;
    const call = events.findLastIndex((event) => event.kind === 'call');
    const confirmed = events.findLastIndex((event) => event.kind === 'message' && event.message.type === 'GPADL_CREATED');
    if (confirmed > call) events.splice(confirmed, 0, events.pop()!);
    return result;
  }
}

export default faulty('createReturnsBeforeHostConfirmed', 'create returns before the host answers GPADL_CREATED', catches, (options) => new CreateReturnsBeforeHostConfirmed(options));
