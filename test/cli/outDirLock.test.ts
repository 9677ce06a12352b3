/**
 * The lock on `--out` (src/cli/outDir.ts) in one process, without a run: of many takers at once,
 * exactly one holds it and every other is told who does; what it leaves is nothing but the lock;
 * a lock nobody can read is no run's and is taken over.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockOutDir, OutDirError } from '../../src/cli/outDir.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function scratch(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-lock-'));
  dirs.push(dir);
  return dir;
}

describe('the lock on --out', () => {
  it('of twenty takers at once, one holds it and nineteen are told which process does', async () => {
    const out = path.join(await scratch(), 'out');
    const taken = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => lockOutDir(out, 'out', `taker ${i}`)));
    const held = taken.filter((t) => t.status === 'fulfilled');
    const refused = taken.flatMap((t) => (t.status === 'rejected' ? [t.reason as unknown] : []));
    expect(held).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(OutDirError);
      expect((reason as Error).message).toContain(`--out out is in use by another vmbus-conformance run (process ${process.pid}, started `);
    }
    // The lock is whole, names its taker, and nothing else was left beside it.
    const holder = JSON.parse(await readFile(path.join(out, LOCK_FILE), 'utf8')) as { pid: number; command: string };
    expect(holder).toMatchObject({ pid: process.pid, command: expect.stringMatching(/^taker \d+$/) });
    expect(await readdir(out)).toEqual([LOCK_FILE]);
    await (held[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof lockOutDir>>>).value.release();
    expect(await readdir(out)).toEqual([]);
  });

  it('a lock file nobody can read (empty, or not JSON) is no run\'s: taken over at once', async () => {
    const out = await scratch();
    for (const garbage of ['', '{"pid":', 'not json']) {
      await writeFile(path.join(out, LOCK_FILE), garbage);
      const lock = await lockOutDir(out, 'out', 'taker');
      expect(JSON.parse(await readFile(path.join(out, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'taker' });
      await lock.release();
    }
  });
});
