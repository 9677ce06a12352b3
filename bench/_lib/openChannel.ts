/**
 * One open channel on the reference model, as a KMCL driver pair gets it: a server endpoint offers,
 * a client endpoint opens, both enabled. What every model benchmark starts from.
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import type { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

export interface OpenChannel {
  readonly server: EndpointHandle;
  readonly client: EndpointHandle;
}

export function openChannel(vmbus: ReferenceVmbus): OpenChannel {
  const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
  const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
  vmbus.enableChannel(server);
  vmbus.enableChannel(client);
  return { server, client };
}
