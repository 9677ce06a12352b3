/** The server's side of a GPADL: map, unmap, and the MDL that map returns. */
import assert from 'node:assert/strict';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { NO_GPADL_FLAGS, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY, hex, type GpadlFlags } from '../src/contract/index.js';
import type { VmbusWorld } from './support/world.js';

// ---------------------------------------------------------------- map

Given('the server has mapped {name}', async function (this: VmbusWorld, gpadl: string) {
  this.expectOkStatus(await this.mapGpadl(gpadl, NO_GPADL_FLAGS), `map "${gpadl}"`);
});

Given('the server has mapped {name} read-only', async function (this: VmbusWorld, gpadl: string) {
  this.expectOkStatus(await this.mapGpadl(gpadl, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY), `map "${gpadl}" read-only`);
});

Given('the server has mapped {name} with flags {flags}', async function (this: VmbusWorld, gpadl: string, flags: GpadlFlags) {
  this.expectOkStatus(await this.mapGpadl(gpadl, flags), `map "${gpadl}"`);
});

When('the server maps {name} for write access', async function (this: VmbusWorld, gpadl: string) {
  this.record('map', await this.mapGpadl(gpadl, NO_GPADL_FLAGS));
});

When('the server maps {name} for read-only access', async function (this: VmbusWorld, gpadl: string) {
  this.record('map', await this.mapGpadl(gpadl, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY));
});

When('the server maps {name} with flags {flags}', async function (this: VmbusWorld, gpadl: string, flags: GpadlFlags) {
  this.record('map', await this.mapGpadl(gpadl, flags));
});

When('the server maps {name} again with flags {flags}', async function (this: VmbusWorld, gpadl: string, flags: GpadlFlags) {
  this.record('map', await this.mapGpadl(gpadl, flags));
});

When('the server maps GPADL handle {handle}', async function (this: VmbusWorld, handle: number) {
  this.record('map', await this.mapGpadl(handle, NO_GPADL_FLAGS));
});

When('the server maps the ring-buffer GPADL', async function (this: VmbusWorld) {
  this.record('map', await this.mapGpadl(this.ringGpadl(), NO_GPADL_FLAGS));
});

Given('the server of channel {name} has mapped {name}', async function (this: VmbusWorld, channel: string, gpadl: string) {
  this.expectOkStatus(await this.mapGpadl(gpadl, NO_GPADL_FLAGS, 'server', channel), `map "${gpadl}" on channel "${channel}"`);
});

When('the server of channel {name} maps {name}', async function (this: VmbusWorld, channel: string, gpadl: string) {
  this.record('map', await this.mapGpadl(gpadl, NO_GPADL_FLAGS, 'server', channel));
});

When('the client maps {name}', async function (this: VmbusWorld, gpadl: string) {
  this.record('map', await this.mapGpadl(gpadl, NO_GPADL_FLAGS, 'client'));
});

Then('no MDL is returned', function (this: VmbusWorld) {
  const mdl = this.mdlOfLastMap;
  assert.equal(mdl, undefined, `the failed map still returned MDL ${mdl === undefined ? '' : hex(mdl)}`);
});

// ---------------------------------------------------------------- unmap

Given('the server has unmapped {name}', async function (this: VmbusWorld, gpadl: string) {
  await this.unmapGpadl(gpadl);
});

When('the server unmaps {name}', async function (this: VmbusWorld, gpadl: string) {
  await this.unmapGpadl(gpadl);
});

When('the server unmaps {name} again', async function (this: VmbusWorld, gpadl: string) {
  await this.unmapGpadl(gpadl);
});

When('the server unmaps GPADL handle {handle}', async function (this: VmbusWorld, handle: number) {
  await this.unmapGpadl(handle);
});

When('the server of channel {name} unmaps {name}', async function (this: VmbusWorld, channel: string, gpadl: string) {
  await this.unmapGpadl(gpadl, 'server', channel);
});

When('the client unmaps {name}', async function (this: VmbusWorld, gpadl: string) {
  await this.unmapGpadl(gpadl, 'client');
});

// ---------------------------------------------------------------- the MDL map returned

Then('the MDL of {name} describes {int} bytes', async function (this: VmbusWorld, gpadl: string, byteCount: number) {
  const chain = await this.describeMdl(this.mappingOf(gpadl));
  assert.equal(chain.reduce((sum, mdl) => sum + mdl.byteCount, 0), byteCount, `the MDL of "${gpadl}" has the wrong byte count`);
});

Then('the MDL of {name} starts {int} bytes into its first page', async function (this: VmbusWorld, gpadl: string, byteOffset: number) {
  const [first] = await this.describeMdl(this.mappingOf(gpadl));
  assert.equal(first?.byteOffset, byteOffset, `the MDL of "${gpadl}" has the wrong byte offset`);
});

Then('the MDL of {name} lists the page frame numbers of buffer {name} in order', async function (this: VmbusWorld, gpadl: string, buffer: string) {
  assert.deepEqual(await this.mappedPfns(gpadl), await this.bufferPfns(buffer), `the MDL of "${gpadl}" names other pages than buffer "${buffer}"`);
});

Then('the MDL of {name} lists the page frame numbers of buffers {name} and {name} in order', async function (this: VmbusWorld, gpadl: string, first: string, second: string) {
  assert.deepEqual(await this.mappedPfns(gpadl), await this.bufferPfns(first, second), `the MDL of "${gpadl}" names other pages than buffers "${first}" and "${second}"`);
});

Then('the MDL of {name} has no system virtual address', async function (this: VmbusWorld, gpadl: string) {
  const chain = await this.describeMdl(this.mappingOf(gpadl));
  assert.ok(chain.every((mdl) => !mdl.systemVa), `the MDL of "${gpadl}" is already mapped into system virtual address space`);
});

Then('the MDL of {name} has a system virtual address', async function (this: VmbusWorld, gpadl: string) {
  const chain = await this.describeMdl(this.mappingOf(gpadl));
  assert.ok(chain.every((mdl) => mdl.systemVa), `the MDL of "${gpadl}" is not mapped into system virtual address space`);
});

Given('the server has mapped the MDL of {name} into system virtual address space', async function (this: VmbusWorld, gpadl: string) {
  this.expectOkStatus(await this.impl.mapMdlToSystemVa(this.mappingOf(gpadl)), `map the MDL of "${gpadl}" into system virtual address space`);
});

When('the server maps the MDL of {name} into system virtual address space', async function (this: VmbusWorld, gpadl: string) {
  this.record('system address mapping', await this.impl.mapMdlToSystemVa(this.mappingOf(gpadl)));
});

// ---------------------------------------------------------------- refused set-up and observations

Given('a second map of {name} with flags {flags} has been refused', async function (this: VmbusWorld, gpadl: string, flags: GpadlFlags) {
  this.expectRefused(await this.mapGpadl(gpadl, flags), `the second map of "${gpadl}"`);
});

Given('a map of {name} with flags {flags} has been refused', async function (this: VmbusWorld, gpadl: string, flags: GpadlFlags) {
  this.expectRefused(await this.mapGpadl(gpadl, flags), `the map of "${gpadl}"`);
});

Then('the server can still map {name}', async function (this: VmbusWorld, gpadl: string) {
  this.expectOkStatus(await this.mapGpadl(gpadl, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY), `map "${gpadl}"`);
});

Then('the server of channel {name} can still map {name}', async function (this: VmbusWorld, channel: string, gpadl: string) {
  this.expectOkStatus(await this.mapGpadl(gpadl, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY, 'server', channel), `map "${gpadl}" on channel "${channel}"`);
});

Then('the MDL of {name} lists the first {int} page frame numbers of buffer {name}', async function (this: VmbusWorld, gpadl: string, count: number, buffer: string) {
  assert.deepEqual(await this.mappedPfns(gpadl), (await this.bufferPfns(buffer)).slice(0, count), `the MDL of "${gpadl}" names the wrong pages`);
});

/** `pages` names pages of the scenario's buffers: "A0 B1" is page 0 of buffer "A", then page 1 of buffer "B". */
Then('the MDL of {name} lists the pages {string}', async function (this: VmbusWorld, gpadl: string, pages: string) {
  assert.deepEqual(await this.mappedPfns(gpadl), await this.namedPages(pages), `the MDL of "${gpadl}" names other pages than ${pages}`);
});

Then('the MDL of {name} is a chain of {int} MDL(s)', async function (this: VmbusWorld, gpadl: string, count: number) {
  assert.equal((await this.describeMdl(this.mappingOf(gpadl))).length, count, `the MDL chain of "${gpadl}" has the wrong length`);
});

When('the server unmaps the ring-buffer GPADL', async function (this: VmbusWorld) {
  await this.unmapGpadl(this.ringGpadl());
});

/**
 * One row per MDL of the chain map returned, first to last:
 *
 *   | byte offset | byte count | pages |
 *   | 1           | 4095       | A0    |
 *   | 2048        | 4097       | B0 B1 |
 *
 * `pages` names pages of the scenario's buffers, as in "lists the pages".
 */
Then('the MDL chain of {name} is:', async function (this: VmbusWorld, gpadl: string, table: DataTable) {
  const chain = await this.describeMdl(this.mappingOf(gpadl));
  const expected = await Promise.all(
    table.hashes().map(async (row) => ({ byteOffset: Number(row['byte offset']), byteCount: Number(row['byte count']), pfns: await this.namedPages(row['pages'] ?? '') })),
  );
  const actual = chain.map((mdl) => ({ byteOffset: mdl.byteOffset, byteCount: mdl.byteCount, pfns: mdl.pfns.map(hex) }));
  assert.deepEqual(actual, expected, `the MDL chain of "${gpadl}" (byte offset, byte count, pages of each MDL) is not as expected`);
});
