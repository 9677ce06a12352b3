/**
 * What a reference half did, kept for the harness: the messages it sent (as the bytes the wire
 * carries) and the calls that returned late, in the order they happened.
 */
import type { CompletedResult, HalfEvent } from '../../contract/halves.js';
import type { OperationId } from '../../contract/handles.js';
import { encodeMessage } from '../../protocol/codec.js';
import type { ChannelMessage } from '../../protocol/messages.js';

export class Outbox {
  private events: HalfEvent[] = [];

  readonly send = (message: ChannelMessage): void => {
    this.events.push({ send: encodeMessage(message) });
  };

  readonly completed = (operation: OperationId, result: CompletedResult): void => {
    this.events.push({ completed: operation, result });
  };

  take(): readonly HalfEvent[] {
    const taken = this.events;
    this.events = [];
    return taken;
  }
}
