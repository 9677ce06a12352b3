/**
 * `faulty:enableReportsRefusedOpen`. The lie: a client enable whose open the host refused returns
 * STATUS_UNSUCCESSFUL, as Linux's `vmbus_open` does, instead of success (enable does not wait for
 * the open: choice G29).
 *
 * Must be caught by WIRE-15 (after a refused open the client endpoint stays Enabled, the enable
 * having succeeded), a reference rule. As a guest half the open's answer crosses the harness after
 * the enable has returned, so the lie cannot show.
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import { STATUS_SUCCESS, STATUS_UNSUCCESSFUL, type NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WIRE-15'] as const;

class EnableReportsRefusedOpen extends ReferenceVmbus {
  protected override traced<T extends { status: NtStatus }>(fn: string, args: Record<string, unknown>, body: () => T): T {
    if (fn !== 'VmbChannelEnable') return super.traced(fn, args, body);
    return super.traced(fn, args, () => {
      const result = body();
      const client = this.live(args['endpoint'] as EndpointHandle);
      const refused = client?.role === 'client' && client.state === 'Enabled' && client.opening === null && client.server.channel !== null;
      return result.status === STATUS_SUCCESS && refused ? { ...result, status: STATUS_UNSUCCESSFUL } : result;
    });
  }
}

export default faulty('enableReportsRefusedOpen', 'an enable whose open the host refused returns STATUS_UNSUCCESSFUL', catches, (options) => new EnableReportsRefusedOpen(options));
