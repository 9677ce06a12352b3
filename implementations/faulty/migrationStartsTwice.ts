/**
 * `faulty:migrationStartsTwice`. The lie: a migration start while a migration runs succeeds and
 * changes nothing, instead of failing (choice G28).
 *
 * Must be caught by MIG-06 (migration calls out of order fail with STATUS_INVALID_DEVICE_STATE).
 */
import { STATUS_INVALID_DEVICE_STATE, STATUS_SUCCESS, type NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MIG-06'] as const;

class MigrationStartsTwice extends ReferenceVmbus {
  override migrationBegin(): NtStatus {
    const status = super.migrationBegin();
    return status === STATUS_INVALID_DEVICE_STATE ? STATUS_SUCCESS : status;
  }
}

export default faulty('migrationStartsTwice', 'a second migration start while one runs succeeds', catches, (options) => new MigrationStartsTwice(options));
