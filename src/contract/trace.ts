/**
 * The optional event trace: contract calls and their returns, the channel messages between guest
 * and host, and the completion of calls that blocked. Scenarios that need it (for example "create
 * returns only after GPADL_CREATED") are not applicable to an implementation without it.
 */
import type { ChannelMessage, Direction } from '../protocol/messages.js';
import type { OperationId } from './handles.js';
import type { NtStatus } from './NtStatus.js';

export type TraceEvent =
  | { readonly kind: 'call'; readonly fn: string; readonly args: Readonly<Record<string, unknown>> }
  | { readonly kind: 'return'; readonly fn: string; readonly status?: NtStatus }
  | {
      readonly kind: 'message';
      readonly direction: Direction;
      readonly message: ChannelMessage;
      /** The message as it travelled, when the implementation sends real bytes. */
      readonly bytes?: Uint8Array;
    }
  | { readonly kind: 'completed'; readonly fn: string; readonly operation: OperationId };
