/** The client's buffer and the server's view of it: byte patterns written on one side, read on the other. */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { hex } from '../src/contract/index.js';
import type { VmbusWorld } from './support/world.js';

/** `first` to `last` inclusive, filled with one byte value. */
const pattern = (value: number, first: number, last: number): Uint8Array => new Uint8Array(last - first + 1).fill(value);
/** The index of the first byte that is not `value`, -1 if none; a short read counts as a mismatch at its end. */
const firstMismatch = (data: Uint8Array, value: number, length: number): number => {
  const at = data.findIndex((b) => b !== value);
  return at === -1 && data.length !== length ? data.length : at;
};

Given('the client has written {octet} over bytes {int} to {int} of buffer {string}', async function (this: VmbusWorld, value: number, first: number, last: number, buffer: string) {
  await this.writeBuffer(buffer, first, pattern(value, first, last));
});

When('the client writes {octet} over bytes {int} to {int} of buffer {string}', async function (this: VmbusWorld, value: number, first: number, last: number, buffer: string) {
  await this.writeBuffer(buffer, first, pattern(value, first, last));
});

Then('bytes {int} to {int} of buffer {string} hold {octet}', async function (this: VmbusWorld, first: number, last: number, buffer: string, value: number) {
  const at = firstMismatch(await this.readBuffer(buffer, first, last - first + 1), value, last - first + 1);
  assert.equal(at, -1, `byte ${first + at} of buffer "${buffer}" does not hold ${hex(value)}`);
});

When('the server writes {octet} over bytes {int} to {int} of the mapping of {string}', async function (this: VmbusWorld, value: number, first: number, last: number, gpadl: string) {
  this.record('write through the mapping', await this.impl.writeMdl(this.mappingOf(gpadl), first, pattern(value, first, last)));
});

When('the server reads bytes {int} to {int} of the mapping of {string}', async function (this: VmbusWorld, first: number, last: number, gpadl: string) {
  this.record('read through the mapping', await this.readMapping(gpadl, first, last - first + 1));
});

Then('bytes {int} to {int} of the mapping of {string} hold {octet}', async function (this: VmbusWorld, first: number, last: number, gpadl: string, value: number) {
  this.expectOkStatus(await this.readMapping(gpadl, first, last - first + 1), `read the mapping of "${gpadl}"`);
  const at = firstMismatch(this.dataOfLastRead ?? new Uint8Array(), value, last - first + 1);
  assert.equal(at, -1, `byte ${first + at} of the mapping of "${gpadl}" does not hold ${hex(value)}`);
});

Then('buffer {string} is locked', async function (this: VmbusWorld, buffer: string) {
  assert.equal((await this.describeBuffer(buffer)).locked, true, `buffer "${buffer}" is not probed and locked`);
});

Then('buffer {string} is not locked', async function (this: VmbusWorld, buffer: string) {
  assert.equal((await this.describeBuffer(buffer)).locked, false, `buffer "${buffer}" is still locked`);
});
