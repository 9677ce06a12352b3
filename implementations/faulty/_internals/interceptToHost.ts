/**
 * For fakes that lie on the wire: puts `intercept` in front of every guest-to-host message. Only
 * the guest posts those, so the host and the trace see what the intercept sends on, as if the
 * guest had sent it.
 */
import type { Wire } from '../../../src/model/Wire.js';
import type { GuestToHostMessage } from '../../../src/protocol/messages.js';

export function interceptToHost(wire: Wire, intercept: (message: GuestToHostMessage, send: (message: GuestToHostMessage) => void) => void): void {
  const send = wire.toHost.bind(wire);
  wire.toHost = (message: GuestToHostMessage): void => intercept(message, send);
}
