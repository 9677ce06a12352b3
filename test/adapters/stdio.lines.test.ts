/**
 * Lines from an implementation: read in linear time, split on LF only (a CR alone stays in the
 * line, CRLF loses its CR), decoded whole (a UTF-8 sequence split across chunks), and capped: a
 * line over the cap is a ProtocolError naming the cap, the process is ended and the next process
 * works. The cap is overridden here (1 MiB, 64 KiB) so that the tests stay fast.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeByteCap, LineReader, MAX_LINE_BYTES } from '../../src/plugin/LineReader.js';
import { PluginProcess } from '../../src/adapters/stdio/PluginProcess.js';
import { ProtocolError } from '../../src/plugin/errors.js';

const BUFFER_CONCAT = Buffer.concat;

function reader(max?: number): { lines: string[]; tooLong: number[]; r: LineReader } {
  const lines: string[] = [];
  const tooLong: number[] = [];
  const r = new LineReader((l) => lines.push(l), (bytes) => tooLong.push(bytes), max);
  return { lines, tooLong, r };
}

describe('LineReader', () => {
  it('splits on LF, drops the CR of CRLF, keeps a CR alone, joins chunks', () => {
    const { lines, r } = reader();
    r.push('a\r\nb');
    r.push('c\rd\n\n');
    r.push(Buffer.from('e'));
    expect(lines).toEqual(['a', 'bc\rd', '']);
    expect(r.buffered).toBe(1);
    r.push('\n');
    expect(lines.at(-1)).toBe('e');
  });

  it('decodes a UTF-8 sequence split across chunks', () => {
    const { lines, r } = reader();
    const bytes = Buffer.from('ä€😀\n', 'utf8');
    for (let i = 0; i < bytes.length; i++) r.push(bytes.subarray(i, i + 1));
    expect(lines).toEqual(['ä€😀']);
  });

  it('reports a line over the cap once, drops it to its newline, and reads on', () => {
    const { lines, tooLong, r } = reader(10);
    r.push('0123456789\n');
    r.push('01234');
    r.push('567890123');
    r.push('456789');
    r.push('xx\nafter\n');
    expect(lines).toEqual(['0123456789', 'after']);
    expect(tooLong).toEqual([14]);
  });

  it('the default cap is 16 MiB', () => {
    expect(MAX_LINE_BYTES).toBe(16 * 1024 * 1024);
    expect(describeByteCap(MAX_LINE_BYTES)).toBe('16 MiB (16777216 bytes)');
    expect(describeByteCap(1000)).toBe('1000 bytes');
  });

  it('reads a line that comes in 1,024 chunks in linear time: each byte is copied once, when the line is complete', () => {
    const { lines, r } = reader();
    const chunk = Buffer.alloc(1024, 0x61);
    // Counted, not timed: a reader that joined what it had at every chunk would copy 512 times as
    // much. Buffer.concat is wrapped by hand, not spied on: a spy would keep every list it was given.
    let copied = 0;
    Buffer.concat = ((list: readonly Uint8Array[], totalLength?: number) => {
      copied += list.reduce((n, b) => n + b.length, 0);
      return BUFFER_CONCAT(list, totalLength);
    }) as typeof Buffer.concat;
    try {
      for (let i = 0; i < 1024; i++) r.push(chunk);
      r.push('\n');
    } finally {
      Buffer.concat = BUFFER_CONCAT;
    }
    expect(copied).toBe(1024 * 1024);
    expect(lines).toEqual(['a'.repeat(1024 * 1024)]);
  });
});

const HUGE = String.raw`
const readline = require('node:readline');
const [size] = process.argv.slice(2);
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { seq, cmd } = JSON.parse(line);
  if (cmd === 'shutdown') {
    process.stdout.write(JSON.stringify({ seq, result: {} }) + '\n');
    process.exit(0);
  }
  if (cmd === 'huge') {
    // One line of size bytes, written in pieces, then a newline.
    const piece = 'x'.repeat(65536);
    let left = Number(size);
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, piece.length);
        left -= n;
        if (!process.stdout.write(piece.slice(0, n))) return process.stdout.once('drain', write);
      }
      process.stdout.write('\n');
    };
    return write();
  }
  process.stdout.write(JSON.stringify({ seq, result: { cmd } }) + '\n');
});
`;

async function hugeFake(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-huge-'));
  await writeFile(path.join(dir, 'huge.cjs'), HUGE);
  return dir;
}

describe('a line over the cap from an implementation', () => {
  it('is a ProtocolError naming the cap; the process is ended; a new one works', async () => {
    const dir = await hugeFake();
    const cap = 1024 * 1024;
    const first = new PluginProcess({ command: 'node huge.cjs 5000000', cwd: dir, spec: 'cmd:node huge.cjs', maxLineBytes: cap });
    expect((await first.exchange('ping', {}, 5000)).kind).toBe('result');
    const error = await first.exchange('huge', {}, 10_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain('cap of 1 MiB (1048576 bytes)');
    expect((error as Error).message).toContain('in huge');
    expect(first.usable).toBe(false);
    // Killed: its exit is waited for as long as a loaded machine may take (undefined only if it never comes).
    expect(await first.waitForExit(30_000)).toBeDefined();
    // The run goes on: the next process (the next scenario's) answers.
    const second = new PluginProcess({ command: 'node huge.cjs 10', cwd: dir, spec: 'cmd:node huge.cjs', maxLineBytes: cap });
    expect((await second.exchange('ping', {}, 5000)).response).toMatchObject({ result: { cmd: 'ping' } });
    await second.stop();
  });

  it('a line just under the cap is read', async () => {
    const dir = await hugeFake();
    const p = new PluginProcess({ command: 'node huge.cjs 65536', cwd: dir, spec: 'cmd:node huge.cjs', maxLineBytes: 64 * 1024 });
    // Not JSON, but read whole: the framing error is about JSON, not the cap.
    const error = (await p.exchange('huge', {}, 5000).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('not JSON');
    await p.stop();
  });
});
