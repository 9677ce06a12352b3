/**
 * `faulty:createIgnoresHeldAnswer`. The lie: create does not wait for GPADL_CREATED at all: when
 * the host holds its answer back, create returns success with the handle it sent at once.
 *
 * Must be caught by CREATE-04 (create returns only after GPADL_CREATED), CREATE-03 (likewise for a
 * create from an MDL) and by every rule whose scenarios need a create to wait: WIRE-19, WIRE-16,
 * WIRE-17, WHOST-20 and WHOST-28, and WIRE-12 (after a refusal, the next create waits for the answer
 * the host holds back: here it returns at once).
 */
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import { STATUS_PENDING, STATUS_SUCCESS } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-03', 'CREATE-04', 'WHOST-20', 'WHOST-28', 'WIRE-12', 'WIRE-16', 'WIRE-17', 'WIRE-19'] as const;

class CreateIgnoresHeldAnswer extends ReferenceVmbus {
  override createGpadlFromBuffer(...args: Parameters<ReferenceVmbus['createGpadlFromBuffer']>): CreateGpadlResult {
    return this.withoutWaiting(super.createGpadlFromBuffer(...args));
  }

  override createGpadlFromMdl(...args: Parameters<ReferenceVmbus['createGpadlFromMdl']>): CreateGpadlResult {
    return this.withoutWaiting(super.createGpadlFromMdl(...args));
  }

  private withoutWaiting(result: CreateGpadlResult): CreateGpadlResult {
    if (result.status !== STATUS_PENDING) return result;
    const sent = [...this.guest.gpadls.values()].findLast((gpadl) => gpadl.state.kind === 'Creating');
    return { status: STATUS_SUCCESS, gpadl: sent!.handle };
  }
}

export default faulty('createIgnoresHeldAnswer', 'create returns success without waiting for GPADL_CREATED', catches, (options) => new CreateIgnoresHeldAnswer(options));
