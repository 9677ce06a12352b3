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

/**
 * The counting pattern: byte `i` of a buffer or of a mapping holds `i mod 251`, so that bytes that
 * land shifted (by a page, a part of an MDL chain, the buffer's offset in its page) hold the wrong
 * values. 251 is prime, so no shift by a multiple of a page leaves the pattern unchanged.
 */
const counting = (first: number, last: number, from = first): Uint8Array => {
  // A plain loop: Uint8Array.from with a mapping function goes through the iterator protocol per byte.
  const bytes = new Uint8Array(last - first + 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (from + i) % 251;
  return bytes;
};
/** The index of the first byte that differs from `expected`, -1 if none; a short read counts as a mismatch at its end. */
const firstDifference = (data: Uint8Array, expected: Uint8Array): number => {
  for (let i = 0; i < expected.length; i++) if (data[i] !== expected[i]) return i;
  return data.length !== expected.length ? Math.min(data.length, expected.length) : -1;
};

Given('the client has written {octet} over bytes {int} to {int} of buffer {name}', async function (this: VmbusWorld, value: number, first: number, last: number, buffer: string) {
  await this.writeBuffer(buffer, first, pattern(value, first, last));
});

When('the client writes {octet} over bytes {int} to {int} of buffer {name}', async function (this: VmbusWorld, value: number, first: number, last: number, buffer: string) {
  await this.writeBuffer(buffer, first, pattern(value, first, last));
});

Then('bytes {int} to {int} of buffer {name} hold {octet}', async function (this: VmbusWorld, first: number, last: number, buffer: string, value: number) {
  const at = firstMismatch(await this.readBuffer(buffer, first, last - first + 1), value, last - first + 1);
  assert.equal(at, -1, `byte ${first + at} of buffer "${buffer}" does not hold ${hex(value)}`);
});

When('the server writes {octet} over bytes {int} to {int} of the mapping of {name}', async function (this: VmbusWorld, value: number, first: number, last: number, gpadl: string) {
  this.record('write through the mapping', await this.impl.writeMdl(this.mappingOf(gpadl), first, pattern(value, first, last)));
});

When('the server reads bytes {int} to {int} of the mapping of {name}', async function (this: VmbusWorld, first: number, last: number, gpadl: string) {
  this.record('read through the mapping', await this.readMapping(gpadl, first, last - first + 1));
});

Then('bytes {int} to {int} of the mapping of {name} hold {octet}', async function (this: VmbusWorld, first: number, last: number, gpadl: string, value: number) {
  this.expectOkStatus(await this.readMapping(gpadl, first, last - first + 1), `read the mapping of "${gpadl}"`);
  const at = firstMismatch(this.dataOfLastRead ?? new Uint8Array(), value, last - first + 1);
  assert.equal(at, -1, `byte ${first + at} of the mapping of "${gpadl}" does not hold ${hex(value)}`);
});

Then('buffer {name} is locked', async function (this: VmbusWorld, buffer: string) {
  assert.equal((await this.describeBuffer(buffer)).locked, true, `buffer "${buffer}" is not probed and locked`);
});

Then('buffer {name} is not locked', async function (this: VmbusWorld, buffer: string) {
  assert.equal((await this.describeBuffer(buffer)).locked, false, `buffer "${buffer}" is still locked`);
});

When('the server writes the counting pattern over bytes {int} to {int} of the mapping of {name}', async function (this: VmbusWorld, first: number, last: number, gpadl: string) {
  this.record('write through the mapping', await this.impl.writeMdl(this.mappingOf(gpadl), first, counting(first, last)));
});

When('the client writes the counting pattern over bytes {int} to {int} of buffer {name}', async function (this: VmbusWorld, first: number, last: number, buffer: string) {
  await this.writeBuffer(buffer, first, counting(first, last));
});

Then('bytes {int} to {int} of buffer {name} hold the counting pattern', async function (this: VmbusWorld, first: number, last: number, buffer: string) {
  const expected = counting(first, last);
  const at = firstDifference(await this.readBuffer(buffer, first, expected.length), expected);
  assert.equal(at, -1, `byte ${first + at} of buffer "${buffer}" does not hold ${hex(expected[at] ?? 0)}, the counting pattern`);
});

/** For a mapping over several buffers: the buffer's bytes hold the pattern as written at `from` onwards in the mapping. */
Then('bytes {int} to {int} of buffer {name} hold the counting pattern from byte {int} of the mapping', async function (this: VmbusWorld, first: number, last: number, buffer: string, from: number) {
  const expected = counting(first, last, from);
  const at = firstDifference(await this.readBuffer(buffer, first, expected.length), expected);
  assert.equal(at, -1, `byte ${first + at} of buffer "${buffer}" does not hold ${hex(expected[at] ?? 0)}, byte ${from + at} of the counting pattern`);
});

Then('bytes {int} to {int} of the mapping of {name} hold the counting pattern', async function (this: VmbusWorld, first: number, last: number, gpadl: string) {
  const expected = counting(first, last);
  this.expectOkStatus(await this.readMapping(gpadl, first, expected.length), `read the mapping of "${gpadl}"`);
  const at = firstDifference(this.dataOfLastRead ?? new Uint8Array(), expected);
  assert.equal(at, -1, `byte ${first + at} of the mapping of "${gpadl}" does not hold ${hex(expected[at] ?? 0)}, the counting pattern`);
});
