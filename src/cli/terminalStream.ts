/**
 * A stream in front of the terminal for output that is not ours (Cucumber's formatter under
 * `--debug`, which prints an implementation's messages as they are): every control character but
 * tab and LF is shown as an escape (`\r`, `\x1b`, `\x00`), so that nothing an implementation sends
 * can colour, move the cursor, clear the screen, set the title or rewrite a line. (The stream is no
 * TTY, so Cucumber writes no colours of its own into it.)
 */
import { Writable } from 'node:stream';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeTerminalOutput(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Writes to `target` what it is given, escaped with {@link escapeTerminalOutput}. */
export function escapingStream(target: Writable): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, done) {
      target.write(escapeTerminalOutput(typeof chunk === 'string' ? chunk : chunk.toString('utf8')), done);
    },
  });
}
