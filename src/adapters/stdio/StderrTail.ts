/**
 * The last lines an implementation wrote to standard error, kept as they arrive (a ring of
 * {@link STDERR_TAIL_LINES} lines, each cut to a sane length) so that any error can quote them.
 */
import { STDERR_TAIL_LINES } from '../../plugin/errors.js';

const MAX_LINE = 2000;

export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly capacity = STDERR_TAIL_LINES) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_LINE) this.partial = this.partial.slice(0, MAX_LINE);
    for (const line of parts) this.add(line);
  }

  private add(line: string): void {
    const trimmed = line.replace(/\r$/, '');
    this.lines.push(trimmed.length > MAX_LINE ? `${trimmed.slice(0, MAX_LINE)}…` : trimmed);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  /** The kept lines (and an unfinished last line), joined with newlines; '' when nothing was written. */
  text(): string {
    const lines = this.partial === '' ? this.lines : [...this.lines, this.partial].slice(-this.capacity);
    return lines.join('\n');
  }
}
