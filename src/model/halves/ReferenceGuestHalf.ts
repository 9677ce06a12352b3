/**
 * The reference model's guest half: guest memory, client endpoints and the guest's VMBus, with the
 * host across a wire the harness carries (docs/halves.md). It is the same ReferenceVmbus code as the
 * whole model, with the host end of its wire in the harness.
 */
import type { GuestHalf, HalfEvent, PageExtent } from '../../contract/halves.js';
import type { ImplementationInfo } from '../../contract/Implementation.js';
import { decodeMessage } from '../../protocol/codec.js';
import { isHostToGuest } from '../../protocol/messages.js';
import { REFERENCE_INFO, type ReferenceOptions, type ReferenceVmbus } from '../ReferenceVmbus.js';
import { halfModel } from './halfModel.js';

export const REFERENCE_GUEST_INFO: ImplementationInfo = { ...REFERENCE_INFO, name: 'vmbus-conformance reference guest' };

/** The guest half of the reference model, or of a variant of it (`create`: a faulty implementation of the zoo). */
export function referenceGuestHalf(create?: (options: ReferenceOptions) => ReferenceVmbus): GuestHalf {
  const { model, outbox, call } = halfModel('guest', create);
  return {
    info: REFERENCE_GUEST_INFO,
    takeEvents: (): readonly HalfEvent[] => outbox.take(),
    violations: call(model.violations),
    close: async () => {},
    allocateBuffer: call(model.allocateBuffer),
    describeBuffer: call(model.describeBuffer),
    writeBuffer: call(model.writeBuffer),
    readBuffer: call(model.readBuffer),
    buildMdl: call(model.buildMdl),
    describeMdl: call(model.describeMdl),
    mapMdlToSystemVa: call(model.mapMdlToSystemVa),
    readMdl: call(model.readMdl),
    writeMdl: call(model.writeMdl),
    readPages: call((extents: readonly PageExtent[]) => model.readPages(extents)),
    writePages: call(model.writePages),
    allocateChannel: call(model.allocateRemoteClient),
    bindChannel: call(model.bindRemoteChannel),
    setRingBufferPageCount: call(model.setRingBufferPageCount),
    // The reference's enable does not wait for the open (choice G29), and its close does not wait for the host.
    enableChannel: async (endpoint) => ({ status: model.enableChannel(endpoint) }),
    disableChannel: async (endpoint) => (model.disableChannel(endpoint), {}),
    cleanupChannel: async (endpoint) => (model.cleanupChannel(endpoint), {}),
    endpointInfo: call(model.endpointInfo),
    createGpadlFromBuffer: call(model.createGpadlFromBuffer),
    createGpadlFromMdl: call(model.createGpadlFromMdl),
    deleteGpadl: call(model.deleteGpadl),
    deliver: async (bytes) => {
      const decoded = decodeMessage(bytes);
      // What the guest cannot read it drops, as Linux's receiver does (choice G23).
      if (decoded.ok && isHostToGuest(decoded.message)) model.deliverToGuest(decoded.message);
    },
    migrationBegin: call(model.migrationBegin),
    migrationFinish: call(model.finishMigration),
    readSnapshot: call(model.readSnapshot),
  };
}
