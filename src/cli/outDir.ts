/**
 * The output directory of a run (`--out`): one run at a time, and nothing left of an earlier one.
 *
 * - **A lock.** A run holds `<out>/.vmbus-conformance.lock` (its pid, host and start time) from
 *   before it writes anything until it ends; a second run on the same `--out` stops at once with a
 *   usage error naming the first. A lock whose process is gone (a run that was killed) is taken
 *   over.
 * - **No leftovers.** Before it writes, a run removes what an earlier run left: the report files
 *   this tool writes at the top of `<out>` (a single run's reports, the comparison), their
 *   temporary files, and the per-implementation folders of an earlier run with several
 *   implementations (there is a comparison beside them). Only files this tool writes are removed,
 *   and a folder only when nothing else is in it: anything else in `<out>` stays.
 * - `--out` naming something that is not a directory is a usage error.
 */
import { existsSync } from 'node:fs';
import { link, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEMPORARY_FILE, temporaryName } from '../report/atomic.js';

export const LOCK_FILE = '.vmbus-conformance.lock';

/** Every file a run writes into a report directory (`<out>` or `<out>/<implementation>/`). */
export const TOOL_FILES: readonly string[] = [
  'conformance.json',
  'conformance.md',
  'cucumber.html',
  'messages.ndjson',
  'junit.xml',
  'comparison.md',
  'comparison.html',
  'summary.md',
];

/** The output directory cannot be used; `message` says why, for the user. */
export class OutDirError extends Error {
  override readonly name = 'OutDirError';
}

interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly command?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, started: typeof parsed.started === 'string' ? parsed.started : 'unknown', ...(typeof parsed.command === 'string' ? { command: parsed.command } : {}) };
  } catch {
    return undefined;
  }
}

/** Fails with a usage message when `dir` exists and is not a directory. */
export async function checkOutDir(dir: string, display: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new OutDirError(`--out ${display}: a part of that path is a file, not a directory`);
    throw new OutDirError(`--out ${display}: ${(error as Error).message}`);
  }
  if (!info.isDirectory()) throw new OutDirError(`--out ${display} is a file, not a directory: give a directory for the reports`);
}

export interface OutDirLock {
  /** Removes the lock if it is still this run's. */
  release(): Promise<void>;
}

/**
 * Takes the lock on `dir` (creating the directory), or fails with {@link OutDirError} naming the
 * run that holds it. A lock left by a process that no longer exists on this host is taken over.
 */
export async function lockOutDir(dir: string, display: string, command = process.argv.slice(1).join(' ')): Promise<OutDirLock> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await createWhole(file, `${JSON.stringify(me)}\n`);
      return {
        release: async () => {
          const holder = await readHolder(file);
          if (holder?.pid === me.pid && holder.host === me.host && holder.started === me.started) await rm(file, { force: true });
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Our temporary file was removed before it was linked: the run that holds the lock took it
      // for a leftover (it is named like one, so that a taker killed mid-way leaves nothing). Look again.
      if (code === 'ENOENT') continue;
      if (code !== 'EEXIST') throw error;
    }
    // A lock is never seen half-written (createWhole): one that cannot be read is gone this
    // instant (its run ended) or garbage, no run's, and is taken over below like a stale one.
    const holder = await readHolder(file);
    if (holder !== undefined && (holder.host !== me.host || alive(holder.pid))) {
      const where = holder.host === me.host ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
      throw new OutDirError(
        `--out ${display} is in use by another vmbus-conformance run (${where}, started ${holder.started}${holder.command !== undefined ? `: ${holder.command}` : ''}). ` +
          `Two runs cannot share an output directory: give this one another --out, or wait for that one to end ` +
          `(if no such run exists, remove ${path.join(display, LOCK_FILE)}).`,
      );
    }
    // Stale (its process is gone), gone or garbage: take it over.
    await rm(file, { force: true });
  }
  throw new OutDirError(`--out ${display}: cannot take the lock ${path.join(display, LOCK_FILE)}`);
}

/**
 * Creates `file` with `content`, whole, or fails with EEXIST if it exists: written beside it under
 * a temporary name and hard-linked into place, so that a second run never reads a lock that is
 * created but not yet written (with `wx` it could, and under load for long). Where the file system
 * has no hard links, `wx`: there a lock read the instant it is made can look unreadable, and be
 * taken over by a run started at the same moment.
 */
async function createWhole(file: string, content: string): Promise<void> {
  const temporary = temporaryName(file);
  await writeFile(temporary, content);
  try {
    await link(temporary, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    await writeFile(file, content, { flag: 'wx' });
  } finally {
    await rm(temporary, { force: true });
  }
}

const isToolFile = (name: string): boolean => TOOL_FILES.includes(name) || TEMPORARY_FILE.test(name);

/**
 * Removes what an earlier run left in `dir`: this tool's report files (and temporary files) at its
 * top, and, when an earlier run of several implementations wrote its comparison there, each
 * sub-folder that holds this tool's report files and nothing else (its per-implementation folders;
 * a folder of reports the user keeps in `--out .` is not taken for one). Returns the paths removed,
 * relative to `dir`.
 */
export async function removeStaleOutputs(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  const severalBefore = entries.some((e) => e.isFile() && (e.name === 'comparison.md' || e.name === 'comparison.html'));
  for (const entry of entries) {
    if (entry.isFile() && isToolFile(entry.name)) {
      await rm(path.join(dir, entry.name), { force: true });
      removed.push(entry.name);
    } else if (entry.isDirectory() && severalBefore) {
      const sub = path.join(dir, entry.name);
      const inside = await readdir(sub, { withFileTypes: true }).catch(() => undefined);
      if (inside === undefined || inside.length === 0) continue;
      const ours = inside.every((e) => e.isFile() && isToolFile(e.name)) && inside.some((e) => e.name === 'conformance.json' || e.name === 'messages.ndjson');
      if (!ours) continue;
      for (const e of inside) await rm(path.join(sub, e.name), { force: true });
      await rmdir(sub).catch(() => undefined);
      removed.push(`${entry.name}/`);
    }
  }
  return removed;
}

/**
 * Runs `body` as the one run of an output directory: `dir` must be a directory or nothing, the
 * lock is taken before anything is written, what an earlier run left is removed, and afterwards
 * the lock is released and a directory this run created and left empty (a usage error) removed.
 * A problem with the directory is reported through `usage`, which throws.
 */
export async function withOutDir<T>(dir: string, display: string, usage: (message: string) => never, body: () => Promise<T>): Promise<T> {
  const created = !existsSync(dir);
  let lock: OutDirLock;
  try {
    await checkOutDir(dir, display);
    lock = await lockOutDir(dir, display);
  } catch (error) {
    if (error instanceof OutDirError) usage(error.message);
    throw error;
  }
  try {
    await removeStaleOutputs(dir);
    return await body();
  } finally {
    await lock.release();
    if (created) await rmdir(dir).catch(() => undefined);
  }
}
