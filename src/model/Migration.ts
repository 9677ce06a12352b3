/**
 * Live migration (or a snapshot) of guest memory by pre-copy, to make executable why KMCL has a
 * read-only GPADL flag: the map page says it exists "to improve the performance of live migration
 * and snapshotting", and that it does not stop the server writing.
 *
 * Pre-copy copies every guest page while the guest runs, logging the pages the guest dirties; the
 * final, stop-and-copy pass copies the logged pages again. The host's writes into guest memory
 * through a mapped GPADL never reach the guest's dirty log, so every page the server may write (a
 * GPADL it mapped for write) must be treated as dirty and copied again in the final pass. Pages of
 * read-only GPADLs, and of GPADLs mapped read-only, need not be: that is the saving. The caveat
 * follows: a write through a read-only mapping is not prevented, and the snapshot misses it.
 */
import { PAGE_SIZE } from '../contract/handles.js';
import type { GuestMemory, PageSpan } from './GuestMemory.js';

export interface MigrationResult {
  /** Pages the first pass copied: every page with bytes. */
  readonly firstPass: ReadonlySet<number>;
  /** Pages the final pass copied again because the guest dirtied them. */
  readonly guestDirty: ReadonlySet<number>;
  /** Pages the final pass copied again because the server may write them (mapped for write). */
  readonly serverWritable: ReadonlySet<number>;
  /** Pages whose saved bytes differ from memory at the end: writes the migration missed. */
  readonly missed: ReadonlySet<number>;
}

export class Migration {
  private readonly image = new Map<number, Uint8Array>();
  private readonly firstPass = new Set<number>();

  /** Starts pre-copy: the first pass copies every page, and the guest's dirty log starts. */
  constructor(private readonly memory: GuestMemory) {
    memory.startDirtyLog();
    for (const [frame, bytes] of memory.writtenPages()) {
      this.image.set(frame, bytes.slice());
      this.firstPass.add(frame);
    }
  }

  /**
   * Stop-and-copy: copies the pages the guest dirtied and the pages the server may write, then
   * says which saved pages still differ from memory (missed writes).
   */
  finish(serverWritablePages: Iterable<number>): MigrationResult {
    const guestDirty = this.memory.takeDirtyLog();
    this.memory.stopDirtyLog();
    const serverWritable = new Set(serverWritablePages);
    for (const frame of [...guestDirty, ...serverWritable]) this.copy(frame);
    const missed = new Set<number>();
    for (const [frame, bytes] of this.memory.writtenPages()) {
      const saved = this.image.get(frame);
      if (saved === undefined ? bytes.some((b) => b !== 0) : !sameBytes(saved, bytes)) missed.add(frame);
    }
    return { firstPass: this.firstPass, guestDirty, serverWritable, missed };
  }

  /** The saved bytes of a page (zeros for a page that had none). */
  savedPage(frame: number): Uint8Array {
    return this.image.get(frame) ?? new Uint8Array(4096);
  }

  /** The saved bytes of `length` bytes of a span from `offset`, across its pages. */
  readSaved(span: PageSpan, offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    let position = span.byteOffset + offset;
    while (done < length) {
      const inPage = position % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      const saved = this.image.get(span.pfns[Math.floor(position / PAGE_SIZE)]!);
      if (saved !== undefined) out.set(saved.subarray(inPage, inPage + n), done);
      done += n;
      position += n;
    }
    return out;
  }

  private copy(frame: number): void {
    const bytes = this.memory.pageBytes(frame);
    if (bytes !== undefined) this.image.set(frame, bytes.slice());
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
