/**
 * What the two reference halves share: the model with one end of its wire remote, and the outbox
 * that keeps what the half did for the harness (the messages it sent, as the bytes the wire
 * carries, and the calls that returned late, in the order they happened).
 */
import type { CompletedResult, HalfEvent } from '../../contract/halves.js';
import type { OperationId } from '../../contract/handles.js';
import { encodeMessage } from '../../protocol/codec.js';
import type { ChannelMessage } from '../../protocol/messages.js';
import type { HalfName } from '../../contract/halves.js';
import { ReferenceVmbus, type ReferenceOptions } from '../ReferenceVmbus.js';

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

/** Makes a half's model (the reference's, or a variant's: `create`) with the trace off and its other end in `outbox`. */
export function halfModel(name: HalfName, create: (options: ReferenceOptions) => ReferenceVmbus = (options) => new ReferenceVmbus(options)) {
  const outbox = new Outbox();
  const model = create({ trace: false, wireBytes: false, half: { name, send: outbox.send, completed: outbox.completed } });
  /** A method of the synchronous model as the asynchronous method of a half. */
  const call = <A extends unknown[], R>(method: (...args: A) => R) => async (...args: A): Promise<R> => method.apply(model, args);
  return { model, outbox, call };
}
