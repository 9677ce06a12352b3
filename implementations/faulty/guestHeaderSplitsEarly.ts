/**
 * `faulty:guestHeaderSplitsEarly`. The lie: the guest puts only 25 page numbers in a GPADL_HEADER
 * (one fewer than fit) and continues in GPADL_BODY messages of 28. The host reassembles the same
 * range buffer, so every GPADL still works; only the messages on the wire differ.
 *
 * Must be caught by WIRE-01 (26 page numbers in the header) and WIRE-02 (message sizes).
 */
import type { GpadlBody, GpadlHeader, GuestToHostMessage } from '../../src/protocol/messages.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';
import { interceptToHost } from './_internals/interceptToHost.js';

export const catches = ['WIRE-01', 'WIRE-02'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

const HEADER_DATA = 8 + 25 * 8;
const BODY_DATA = 28 * 8;

class GuestHeaderSplitsEarly extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    // Collect each GPADL's range buffer, then send it again split after 25 page numbers. Delivery
    // is synchronous, so the host sees the same GPADL.
    let pending: { header: GpadlHeader; data: Uint8Array; filled: number } | undefined;
    const flush = (send: (message: GuestToHostMessage) => void): void => {
      const { header, data } = pending!;
      pending = undefined;
      send({ ...header, rangeData: data.slice(0, HEADER_DATA) });
      for (let at = HEADER_DATA; at < data.length; at += BODY_DATA) {
        const body: GpadlBody = { type: 'GPADL_BODY', msgNumber: 0, gpadl: header.gpadl, rangeData: data.slice(at, at + BODY_DATA) };
        send(body);
      }
    };
    interceptToHost(this.wire, (message, send) => {
      if (message.type === 'GPADL_HEADER' && message.rangeBufLen > HEADER_DATA) {
        pending = { header: message, data: new Uint8Array(message.rangeBufLen), filled: 0 };
      } else if (!(message.type === 'GPADL_BODY' && pending?.header.gpadl === message.gpadl)) {
        return send(message);
      }
      const state = pending!;
      const data = (message as GpadlHeader | GpadlBody).rangeData;
      state.data.set(data.subarray(0, state.data.length - state.filled), state.filled);
      state.filled += Math.min(data.length, state.data.length - state.filled);
      if (state.filled >= state.data.length) flush(send);
    });
  }
}

export default faulty('guestHeaderSplitsEarly', 'a GPADL_HEADER carries 25 page numbers, not 26', catches, (options) => new GuestHeaderSplitsEarly(options), { guest: catchesAsGuest });
