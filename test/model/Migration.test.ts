/**
 * Pre-copy migration over guest memory: why the read-only flag saves work, and what it costs.
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory, type PageSpan } from '../../src/model/GuestMemory.js';
import { Migration } from '../../src/model/Migration.js';

function setup() {
  const memory = new GuestMemory();
  const span = (pages: number): PageSpan => ({ byteOffset: 0, byteCount: pages * 4096, pfns: memory.allocatePages(pages)! });
  const shared = span(2);
  const other = span(1);
  memory.write(shared, 0, new Uint8Array(8192).fill(1));
  memory.write(other, 0, new Uint8Array(4096).fill(2));
  return { memory, shared, other, frames: (s: PageSpan) => [...s.pfns] };
}

describe('Migration', () => {
  it('copies every page first, then what the guest dirtied', () => {
    const { memory, shared, other, frames } = setup();
    const migration = new Migration(memory);
    memory.write(other, 10, Uint8Array.of(9));
    const result = migration.finish([]);
    expect([...result.firstPass].sort()).toEqual([...frames(shared), ...frames(other)].sort());
    expect([...result.guestDirty]).toEqual(frames(other));
    expect(result.missed.size).toBe(0);
    expect(migration.savedPage(frames(other)[0]!)[10]).toBe(9);
  });

  it("keeps the server's writes through a write mapping by copying its pages again", () => {
    const { memory, shared, frames } = setup();
    const migration = new Migration(memory);
    memory.write(shared, 5000, Uint8Array.of(7), 'host');
    const result = migration.finish(frames(shared));
    expect(result.guestDirty.size).toBe(0);
    expect([...result.serverWritable]).toEqual(frames(shared));
    expect(result.missed.size).toBe(0);
    expect(migration.savedPage(frames(shared)[1]!)[5000 - 4096]).toBe(7);
  });

  it('misses a write through a read-only mapping: the pages were not copied again', () => {
    const { memory, shared, frames } = setup();
    const migration = new Migration(memory);
    memory.write(shared, 5000, Uint8Array.of(7), 'host');
    const result = migration.finish([]);
    expect([...result.missed]).toEqual([frames(shared)[1]]);
    expect(migration.savedPage(frames(shared)[1]!)[5000 - 4096]).toBe(1);
  });
});
