/** Records the trace events of one connection; a disabled log records nothing (for fuzzing speed). */
import type { TraceEvent } from '../contract/trace.js';

export class TraceLog {
  readonly events: TraceEvent[] = [];
  constructor(readonly enabled: boolean) {}

  record(event: TraceEvent): void {
    if (this.enabled) this.events.push(event);
  }
}
