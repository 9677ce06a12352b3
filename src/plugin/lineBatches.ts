/**
 * The lines of a stream in batches: each batch is every line that arrived while the one before it
 * was being handled. {@link serve} answers a batch in order and writes the answers in one write, so
 * a harness that sends several requests at once (protocol version 2) gets their answers at once,
 * and one that sends them one at a time gets each at once.
 */
import type { Readable } from 'node:stream';
import { LineReader } from './LineReader.js';

export async function* lineBatches(input: Readable): AsyncGenerator<string[], void, undefined> {
  let lines: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  // Requests come from the harness: no cap on a line's length (the harness caps what it reads).
  const reader = new LineReader((line) => lines.push(line), () => {}, Number.POSITIVE_INFINITY);
  const onData = (chunk: Buffer | string): void => {
    reader.push(chunk);
    if (lines.length > 0) wake?.();
  };
  const onEnd = (): void => {
    reader.end();
    ended = true;
    wake?.();
  };
  input.on('data', onData);
  input.once('end', onEnd);
  input.once('close', onEnd);
  input.once('error', onEnd);
  try {
    for (;;) {
      if (lines.length > 0) {
        const batch = lines;
        lines = [];
        yield batch;
      } else if (ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    }
  } finally {
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('close', onEnd);
    input.off('error', onEnd);
    input.pause();
  }
}
