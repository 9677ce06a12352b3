/**
 * The message path between the guest's and the host's VMBus: synchronous, in order, traced.
 *
 * A message posted while another is being delivered is queued behind it, so a handler never runs
 * inside another handler, and the trace shows messages in the order they crossed.
 */
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
  private ends: WireEnds | undefined;

  constructor(private readonly trace: TraceLog) {}

  connect(ends: WireEnds): void {
    this.ends = ends;
  }

  toHost(message: GuestToHostMessage): void {
    this.post('guest-to-host', message);
  }

  toGuest(message: HostToGuestMessage): void {
    this.post('host-to-guest', message);
  }

  private post(direction: Direction, message: ChannelMessage): void {
    if (messageSize(message) > MAX_MESSAGE_SIZE) throw new InternalError(`${message.type} of ${messageSize(message)} bytes exceeds the ${MAX_MESSAGE_SIZE}-byte payload`);
    this.trace.record({ kind: 'message', direction, message });
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
  }
}
