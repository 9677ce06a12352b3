/**
 * A stream in front of the terminal for output that is not ours (Cucumber's formatter under
 * `--debug`, which prints an implementation's messages as they are): every control character but
 * tab and LF is shown as an escape (`\r`, `\x1b`, `\x00`), so that nothing an implementation sends
 * can colour, move the cursor, clear the screen, set the title or rewrite a line. (The stream is no
 * TTY, so Cucumber writes no colours of its own into it.)
 */
import { Writable } from 'node:stream';
import { escapeTerminalOutput } from '../report/comparison/escape.js';

export { escapeTerminalOutput };

/** Writes to `target` what it is given, escaped with {@link escapeTerminalOutput}. */
export function escapingStream(target: Writable): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      target.write(escapeTerminalOutput(typeof chunk === 'string' ? chunk : chunk.toString('utf8')), done);
    },
  });
}
