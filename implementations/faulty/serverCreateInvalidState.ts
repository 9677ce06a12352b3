/**
 * `faulty:serverCreateInvalidState`. The lie: a create on a server endpoint fails with
 * STATUS_INVALID_DEVICE_STATE (it is not an opened client endpoint) rather than
 * STATUS_INVALID_DEVICE_REQUEST (it is the wrong side): the state is checked before the role.
 *
 * Must be caught by CREATE-12 (a create on a server endpoint fails with
 * STATUS_INVALID_DEVICE_REQUEST), a reference rule.
 */
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { STATUS_INVALID_DEVICE_STATE } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-12'] as const;

class ServerCreateInvalidState extends ReferenceVmbus {
  override createGpadlFromBuffer(...args: Parameters<ReferenceVmbus['createGpadlFromBuffer']>): CreateGpadlResult {
    return this.onServer(args[0]) ? this.refused('VmbChannelCreateGpadlFromBuffer') : super.createGpadlFromBuffer(...args);
  }

  override createGpadlFromMdl(...args: Parameters<ReferenceVmbus['createGpadlFromMdl']>): CreateGpadlResult {
    return this.onServer(args[0]) ? this.refused('VmbChannelCreateGpadlFromMdl') : super.createGpadlFromMdl(...args);
  }

  private onServer(endpoint: EndpointHandle): boolean {
    return this.live(endpoint)?.role === 'server';
  }

  private refused(fn: string): CreateGpadlResult {
    return this.traced(fn, {}, () => ({ status: STATUS_INVALID_DEVICE_STATE }));
  }
}

export default faulty('serverCreateInvalidState', 'a create on a server endpoint fails with STATUS_INVALID_DEVICE_STATE', catches, (options) => new ServerCreateInvalidState(options));
