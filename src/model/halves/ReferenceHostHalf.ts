/**
 * The reference model's host half: server endpoints, the host's VMBus and the server KMCL functions,
 * with the guest across a wire the harness carries (docs/halves.md). Guest memory is not here: a
 * read or write through a mapping answers where the bytes lie, and the harness moves them.
 */
import type { HalfEvent, HostHalf } from '../../contract/halves.js';
import type { ImplementationInfo } from '../../contract/Implementation.js';
import { decodeMessage } from '../../protocol/codec.js';
import { isGuestToHost } from '../../protocol/messages.js';
import { REFERENCE_INFO, type ReferenceOptions, type ReferenceVmbus } from '../ReferenceVmbus.js';
import { halfModel } from './halfModel.js';

export const REFERENCE_HOST_INFO: ImplementationInfo = { ...REFERENCE_INFO, name: 'vmbus-conformance reference host' };

/** The host half of the reference model, or of a variant of it (`create`: a faulty implementation of the zoo). */
export function referenceHostHalf(create?: (options: ReferenceOptions) => ReferenceVmbus): HostHalf {
  const { model, outbox, call } = halfModel('host', create);
  return {
    info: REFERENCE_HOST_INFO,
    takeEvents: (): readonly HalfEvent[] => outbox.take(),
    violations: call(model.violations),
    close: async () => {},
    allocateChannel: async () => model.allocateChannel({ role: 'server' }),
    enableChannel: call(model.enableChannel),
    disableChannel: call(model.disableChannel),
    cleanupChannel: call(model.cleanupChannel),
    endpointInfo: call(model.endpointInfo),
    mapGpadl: call(model.mapGpadl),
    unmapGpadl: call(model.unmapGpadl),
    mapMdlToSystemVa: call(model.mapMdlToSystemVa),
    describeMdl: call(model.describeMdl),
    accessMdl: call(model.locateMdl),
    deliver: async (bytes, options) => {
      // The host validates ranges itself (WHOST-02), so the decoder does not; what it cannot read it drops (choice G23).
      const decoded = decodeMessage(bytes, { checkRangeBufLen: false });
      if (decoded.ok && isGuestToHost(decoded.message)) model.deliverToHost(decoded.message, options?.gpadlReadOnly === true);
    },
    hostDirect: call(model.hostDirect),
    hostAnswerDeferred: call(model.hostAnswerDeferred),
    hostOffer: call(model.hostOffer),
    hostReceive: call(model.hostReceive),
    hostHold: call(model.hostHold),
    hostRelease: call(model.hostRelease),
    hostRevoke: call(model.hostRevoke),
    migrationBegin: call(model.beginWriteLog),
    migrationFinish: call(model.takeWriteLog),
  };
}
