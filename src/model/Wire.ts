/**
 * The message path between the guest's and the host's VMBus: synchronous, in order, traced.
 *
 * A message posted while another is being delivered is queued behind it, so a handler never runs
 * inside another handler, and the trace shows messages in the order they crossed. With `bytes`,
 * every message crosses as its encoding: the sender's value is encoded, the bytes are traced, and
 * the receiver gets what decoding them gives, so nothing reaches the other side that the wire
 * format could not carry.
 */
import { decodeMessage, encodeMessage } from '../protocol/codec.js';
import { MAX_MESSAGE_SIZE, messageSize, type ChannelMessage, type Direction, type GuestToHostMessage, type HostToGuestMessage } from '../protocol/messages.js';
import { InternalError } from './InternalError.js';
import type { TraceLog } from './TraceLog.js';

export interface WireEnds {
  host(message: GuestToHostMessage): void;
  guest(message: HostToGuestMessage): void;
}

export class Wire {
  private readonly queue: Array<{ direction: Direction; message: ChannelMessage }> = [];
  private next = 0;
  private delivering = false;
  private readonly idle: Array<() => void> = [];
  private ends: WireEnds | undefined;

  constructor(
    private readonly trace: TraceLog,
    private readonly bytes = false,
  ) {}

  connect(ends: WireEnds): void {
    this.ends = ends;
  }

  /**
   * Runs `then` once no message is being delivered: at once if none is, else after the last one
   * queued. A handler that must send and wait for an answer (an open going on when its ring
   * GPADL's late GPADL_CREATED arrives) continues here, where its answer can arrive.
   */
  whenIdle(then: () => void): void {
    if (!this.delivering) return then();
    this.idle.push(then);
  }

  toHost(message: GuestToHostMessage): void {
    this.post('guest-to-host', message);
  }

  toGuest(message: HostToGuestMessage): void {
    this.post('host-to-guest', message);
  }

  private post(direction: Direction, message: ChannelMessage): void {
    if (messageSize(message) > MAX_MESSAGE_SIZE) throw new InternalError(`${message.type} of ${messageSize(message)} bytes exceeds the ${MAX_MESSAGE_SIZE}-byte payload`);
    if (this.bytes) {
      const bytes = encodeMessage(message);
      const decoded = decodeMessage(bytes);
      if (!decoded.ok) throw new InternalError(`${message.type} does not survive its encoding: ${decoded.error.message}`);
      this.trace.record({ kind: 'message', direction, message, bytes });
      message = decoded.message;
    } else {
      this.trace.record({ kind: 'message', direction, message });
    }
    this.queue.push({ direction, message });
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.next < this.queue.length) {
        const item = this.queue[this.next++]!;
        if (item.direction === 'guest-to-host') this.ends!.host(item.message as GuestToHostMessage);
        else this.ends!.guest(item.message as HostToGuestMessage);
      }
    } finally {
      this.queue.length = 0;
      this.next = 0;
      this.delivering = false;
    }
    for (let then = this.idle.shift(); then !== undefined; then = this.idle.shift()) then();
  }
}
