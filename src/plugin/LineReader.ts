/**
 * Splits a stream of the plug-in protocol's lines into lines, in time linear in what arrives and
 * with a cap on the length of a line: an implementation's standard output on the harness's side
 * (src/adapters/stdio), the harness's requests on a served implementation's (lineBatches).
 *
 * Chunks are kept as they arrive (an array of Buffers, never a growing string) and joined once,
 * when the newline that ends their line arrives; the search for a newline only ever looks at the
 * new chunk. A line longer than the cap ({@link MAX_LINE_BYTES} by default) is not kept: the
 * reader reports it once, with how much had arrived, and drops everything up to the next newline,
 * so that a program that prints a huge line cannot make the harness buffer it.
 *
 * Lines are split on LF (0x0A) only, which never occurs inside a UTF-8 sequence, so a line is
 * decoded whole; a CR before the LF is dropped (CRLF line ends).
 */

/** The longest line an implementation may write to standard output: 16 MiB (16,777,216 bytes). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** `16 MiB (16777216 bytes)`, or the byte count for a cap that is not a whole number of MiB. */
export function describeByteCap(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB (${bytes} bytes)` : `${bytes} bytes`;
}

const LF = 0x0a;

export class LineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Dropping the rest of a line that went over the cap, until its newline. */
  private dropping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    /** Called once for each line that goes over the cap, with the bytes that had arrived of it. */
    private readonly onTooLong: (bytesSoFar: number, maxBytes: number) => void,
    readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer | string): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    while (data.length > 0) {
      const newline = data.indexOf(LF);
      const part = newline === -1 ? data : data.subarray(0, newline);
      if (!this.dropping) {
        if (this.pendingBytes + part.length > this.maxBytes) {
          const seen = this.pendingBytes + part.length;
          this.reset();
          this.dropping = true;
          this.onTooLong(seen, this.maxBytes);
        } else if (part.length > 0) {
          this.pending.push(part);
          this.pendingBytes += part.length;
        }
      }
      if (newline === -1) return;
      if (this.dropping) {
        this.dropping = false;
      } else {
        const line = this.pending.length === 0 ? '' : this.pending.length === 1 ? this.pending[0]!.toString('utf8') : Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
        this.reset();
        this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      data = data.subarray(newline + 1);
    }
  }

  /** The input ended: an unfinished last line (no newline after it) is a line all the same. */
  end(): void {
    if (this.dropping || this.pendingBytes === 0) return this.reset();
    const line = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.reset();
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.dropping = false;
  }

  /** Bytes of an unfinished line held (0 while dropping an over-long one). */
  get buffered(): number {
    return this.pendingBytes;
  }
}
