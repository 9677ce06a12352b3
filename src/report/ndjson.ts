/**
 * Reads the NDJSON file Cucumber's `message` formatter writes, one Envelope per line.
 *
 * A run that was killed leaves a partial last line: that line is dropped and `truncated` is set,
 * so the report still shows what was measured. A bad line anywhere else is a problem.
 */
import type { Envelope } from '@cucumber/messages';
import type { ReportProblem } from './types.js';

export interface ParsedMessages {
  readonly envelopes: Envelope[];
  readonly problems: ReportProblem[];
  /** The last line was incomplete (no newline and not valid JSON). */
  readonly truncated: boolean;
}

export function parseMessages(text: string, file = 'messages.ndjson'): ParsedMessages {
  const envelopes: Envelope[] = [];
  const problems: ReportProblem[] = [];
  let truncated = false;
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const isLast = index === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (isLast && !endsWithNewline) {
        truncated = true;
        return;
      }
      problems.push({ kind: 'bad-message', file, line: index + 1, message: `${file}:${index + 1}: not a JSON message line` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ kind: 'bad-message', file, line: index + 1, message: `${file}:${index + 1}: not a Cucumber message envelope` });
      return;
    }
    envelopes.push(value as Envelope);
  });
  return { envelopes, problems, truncated };
}
