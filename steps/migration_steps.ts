/**
 * Snapshot and live migration (capability `migration`): glue only; steps/support/migration.ts
 * keeps the migration's report and reads the snapshot.
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { migration, pagesOf } from './support/migration.js';
import type { VmbusWorld } from './support/world.js';

Given('a migration has started', async function (this: VmbusWorld) {
  await migration(this).begin();
  this.expectSuccess('migration start');
});

When('another migration starts', async function (this: VmbusWorld) {
  await migration(this).begin();
});

When('the migration finishes', async function (this: VmbusWorld) {
  await migration(this).finish();
});

When('bytes {int} to {int} of the snapshot of buffer {name} are read', async function (this: VmbusWorld, first: number, last: number, buffer: string) {
  await migration(this).read(buffer, first, last - first + 1);
});

Then('the migration copied the pages of buffer {name} again for the server', async function (this: VmbusWorld, buffer: string) {
  const recopied = pagesOf(migration(this).lastReport().recopiedServerWritable);
  const missing = (await this.bufferPfns(buffer)).filter((page) => !recopied.has(page));
  assert.deepEqual(missing, [], `pages of buffer "${buffer}" not copied again as server-writable (copied again: ${[...recopied].join(' ') || 'none'})`);
});

Then('the migration did not copy the pages of buffer {name} again', async function (this: VmbusWorld, buffer: string) {
  const report = migration(this).lastReport();
  const recopied = pagesOf([...report.recopiedGuestDirty, ...report.recopiedServerWritable]);
  const again = (await this.bufferPfns(buffer)).filter((page) => recopied.has(page));
  assert.deepEqual(again, [], `pages of buffer "${buffer}" copied again in the final pass`);
});

Then('the migration copied page {int} of buffer {name} again for the guest', async function (this: VmbusWorld, index: number, buffer: string) {
  const [page] = await this.namedPages(`${buffer}${index}`);
  const dirty = pagesOf(migration(this).lastReport().recopiedGuestDirty);
  assert.ok(dirty.has(page!), `page ${index} of buffer "${buffer}" (${page}) was not copied again as guest-dirty (copied: ${[...dirty].join(' ') || 'none'})`);
});

Then('the migration did not copy page {int} of buffer {name} again', async function (this: VmbusWorld, index: number, buffer: string) {
  const [page] = await this.namedPages(`${buffer}${index}`);
  const report = migration(this).lastReport();
  const recopied = pagesOf([...report.recopiedGuestDirty, ...report.recopiedServerWritable]);
  assert.ok(!recopied.has(page!), `page ${index} of buffer "${buffer}" (${page}) was copied again in the final pass`);
});

Then('bytes {int} to {int} of the snapshot of buffer {name} hold {octet}', async function (this: VmbusWorld, first: number, last: number, buffer: string, value: number) {
  const saved = await migration(this).saved(buffer, first, last - first + 1);
  const wrong = saved.findIndex((byte) => byte !== value);
  assert.equal(wrong, -1, `byte ${first + wrong} of the snapshot of buffer "${buffer}" is 0x${saved[wrong]?.toString(16)}`);
});

Then('the snapshot of buffer {name} holds the bytes of the buffer', async function (this: VmbusWorld, buffer: string) {
  const { byteCount } = await this.describeBuffer(buffer);
  const saved = await migration(this).saved(buffer, 0, byteCount);
  assert.deepEqual(saved, await this.readBuffer(buffer, 0, byteCount), `the snapshot of buffer "${buffer}" differs from the buffer`);
});

Then('the snapshot of buffer {name} differs from the buffer', async function (this: VmbusWorld, buffer: string) {
  const { byteCount } = await this.describeBuffer(buffer);
  const saved = await migration(this).saved(buffer, 0, byteCount);
  assert.notDeepEqual(saved, await this.readBuffer(buffer, 0, byteCount), `the snapshot of buffer "${buffer}" holds the buffer's bytes`);
});

Then('the migration reports no consistency hazard', function (this: VmbusWorld) {
  const { missed } = migration(this).lastReport();
  assert.deepEqual([...pagesOf(missed)], [], 'the migration reports missed pages');
});

Then('the migration reports a consistency hazard on the pages of GPADL {name}', async function (this: VmbusWorld, gpadl: string) {
  const { buffer } = this.gpadl(gpadl);
  assert.ok(buffer !== undefined, `GPADL "${gpadl}" was not created from a named buffer`);
  const pages = await this.bufferPfns(buffer);
  const missed = [...pagesOf(migration(this).lastReport().missed)];
  assert.deepEqual(missed.sort(), [...pages].sort(), `the migration reports missed pages ${missed.join(' ') || '(none)'}, not the pages of GPADL "${gpadl}"`);
});
