/** GPADLs from the client's side: buffers and MDLs to describe, create, handles, delete. */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { hex, NO_GPADL_FLAGS, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY, type GpadlFlags } from '../src/contract/index.js';
import type { VmbusWorld } from './support/world.js';

// ---------------------------------------------------------------- guest memory to describe

Given('a/an {int}-byte buffer {name}', async function (this: VmbusWorld, byteCount: number, name: string) {
  await this.allocateBuffer(name, byteCount);
});

Given('a/an {int}-byte buffer {name} starting {int} bytes into its first page', async function (this: VmbusWorld, byteCount: number, name: string, byteOffset: number) {
  await this.allocateBuffer(name, byteCount, byteOffset);
});

Given('an MDL {name} over buffer {name}', async function (this: VmbusWorld, mdl: string, buffer: string) {
  await this.buildMdl(mdl, [{ buffer: this.buffer(buffer) }]);
});

Given('an MDL chain {name} over buffers {name} and {name}', async function (this: VmbusWorld, mdl: string, first: string, second: string) {
  await this.buildMdl(mdl, [{ buffer: this.buffer(first) }, { buffer: this.buffer(second) }]);
});

Given('an MDL chain {name} over buffers {name}, {name} and {name}', async function (this: VmbusWorld, mdl: string, first: string, second: string, third: string) {
  await this.buildMdl(mdl, [{ buffer: this.buffer(first) }, { buffer: this.buffer(second) }, { buffer: this.buffer(third) }]);
});

// ---------------------------------------------------------------- create

Given('the client has created a GPADL {name} for buffer {name}', async function (this: VmbusWorld, gpadl: string, buffer: string) {
  this.expectOkStatus(await this.createGpadl(gpadl, buffer), `create GPADL "${gpadl}"`);
});

Given('the client has created a read-only GPADL {name} for buffer {name}', async function (this: VmbusWorld, gpadl: string, buffer: string) {
  this.expectOkStatus(await this.createGpadl(gpadl, buffer, { flags: VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY }), `create GPADL "${gpadl}"`);
});

Given('the client has created a GPADL {name} for buffer {name} with flags {flags}', async function (this: VmbusWorld, gpadl: string, buffer: string, flags: GpadlFlags) {
  this.expectOkStatus(await this.createGpadl(gpadl, buffer, { flags }), `create GPADL "${gpadl}"`);
});

Given('the client has created a GPADL {name} for {int} bytes of buffer {name}', async function (this: VmbusWorld, gpadl: string, byteCount: number, buffer: string) {
  this.expectOkStatus(await this.createGpadl(gpadl, buffer, { byteCount }), `create GPADL "${gpadl}"`);
});

Given('the client has created a GPADL {name} for buffer {name} on channel {name}', async function (this: VmbusWorld, gpadl: string, buffer: string, channel: string) {
  this.expectOkStatus(await this.createGpadl(gpadl, buffer, { channel }), `create GPADL "${gpadl}"`);
});

Given('the client has created a GPADL {name} from MDL {name} starting at byte {int} for {int} bytes', async function (this: VmbusWorld, gpadl: string, mdl: string, start: number, length: number) {
  this.expectOkStatus(await this.createGpadlFromMdl(gpadl, mdl, NO_GPADL_FLAGS, start, length), `create GPADL "${gpadl}"`);
});

Given('the client has created a GPADL {name} from MDL {name} starting at byte {int} for {int} bytes with flags {flags}', async function (this: VmbusWorld, gpadl: string, mdl: string, start: number, length: number, flags: GpadlFlags) {
  this.expectOkStatus(await this.createGpadlFromMdl(gpadl, mdl, flags, start, length), `create GPADL "${gpadl}"`);
});

When('the client creates a GPADL {name} for buffer {name}', async function (this: VmbusWorld, gpadl: string, buffer: string) {
  this.record('create', await this.createGpadl(gpadl, buffer));
});

When('the client creates a GPADL {name} for buffer {name} with flags {flags}', async function (this: VmbusWorld, gpadl: string, buffer: string, flags: GpadlFlags) {
  this.record('create', await this.createGpadl(gpadl, buffer, { flags }));
});

When('the client creates a GPADL {name} for {int} bytes of buffer {name}', async function (this: VmbusWorld, gpadl: string, byteCount: number, buffer: string) {
  this.record('create', await this.createGpadl(gpadl, buffer, { byteCount }));
});

When('the server creates a GPADL {name} for buffer {name}', async function (this: VmbusWorld, gpadl: string, buffer: string) {
  this.record('create', await this.createGpadl(gpadl, buffer, { role: 'server' }));
});

When('the client creates a GPADL {name} for buffer {name} on channel {name}', async function (this: VmbusWorld, gpadl: string, buffer: string, channel: string) {
  this.record('create', await this.createGpadl(gpadl, buffer, { channel }));
});

When('the client creates a GPADL {name} from MDL {name} starting at byte {int} for {int} bytes', async function (this: VmbusWorld, gpadl: string, mdl: string, start: number, length: number) {
  this.record('create', await this.createGpadlFromMdl(gpadl, mdl, NO_GPADL_FLAGS, start, length));
});

When('the client creates a GPADL {name} from MDL {name} starting at byte {int} for {int} bytes with flags {flags}', async function (this: VmbusWorld, gpadl: string, mdl: string, start: number, length: number, flags: GpadlFlags) {
  this.record('create', await this.createGpadlFromMdl(gpadl, mdl, flags, start, length));
});

Then('no GPADL handle is returned', function (this: VmbusWorld) {
  const handle = this.handleOfLastCreate;
  assert.equal(handle, undefined, `the failed create still wrote GPADL handle ${handle === undefined ? '' : hex(handle)}`);
});

// ---------------------------------------------------------------- handles

Then('the handle of {name} is {handle}', function (this: VmbusWorld, gpadl: string, expected: number) {
  assert.equal(hex(this.gpadl(gpadl).handle), hex(expected), `GPADL "${gpadl}" has the wrong handle`);
});

Then('the ring-buffer GPADL of channel {name} has handle {handle}', function (this: VmbusWorld, channel: string, expected: number) {
  assert.equal(hex(this.ringGpadl(channel)), hex(expected), `the ring-buffer GPADL of "${channel}" has the wrong handle`);
});

/** The first two names that share a handle, if any. */
function sharedHandle(live: ReadonlyMap<string, number>): string | undefined {
  const byHandle = new Map<number, string>();
  for (const [name, handle] of live) {
    const other = byHandle.get(handle);
    if (other !== undefined) return `${other} and ${name} both have handle ${hex(handle)}`;
    byHandle.set(handle, name);
  }
  return undefined;
}

Then('no two live GPADLs share a handle', async function (this: VmbusWorld) {
  const shared = sharedHandle(await this.liveHandles());
  assert.equal(shared, undefined, shared);
});

// ---------------------------------------------------------------- delete

Given('the client has deleted {name}', async function (this: VmbusWorld, gpadl: string) {
  assert.equal(await this.deleteGpadl(gpadl), 'completed', `the delete of "${gpadl}" did not complete`);
});

When('the client deletes {name}', async function (this: VmbusWorld, gpadl: string) {
  await this.deleteGpadl(gpadl);
});

When('the client deletes {name} again', async function (this: VmbusWorld, gpadl: string) {
  await this.deleteGpadl(gpadl);
});

When('the client deletes GPADL handle {handle}', async function (this: VmbusWorld, handle: number) {
  await this.deleteGpadl(handle);
});

When('the client deletes the ring-buffer GPADL', async function (this: VmbusWorld) {
  await this.deleteGpadl(this.ringGpadl());
});

When('the client deletes {name} through channel {name}', async function (this: VmbusWorld, gpadl: string, channel: string) {
  await this.deleteGpadl(gpadl, 'client', channel);
});

When('the server deletes {name}', async function (this: VmbusWorld, gpadl: string) {
  await this.deleteGpadl(gpadl, 'server');
});

Then('the delete of {name} is pending', async function (this: VmbusWorld, gpadl: string) {
  const operations = this.deletesOf(gpadl);
  assert.equal(await this.operationState(operations[operations.length - 1]!), 'pending', `the delete of "${gpadl}" is not pending`);
});

Then('the delete of {name} has completed', async function (this: VmbusWorld, gpadl: string) {
  const operations = this.deletesOf(gpadl);
  assert.equal(await this.operationState(operations[operations.length - 1]!), 'completed', `the delete of "${gpadl}" has not completed`);
});

Then('both deletes of {name} are pending', async function (this: VmbusWorld, gpadl: string) {
  assert.deepEqual(await Promise.all(this.deletesOf(gpadl).map((op) => this.operationState(op))), ['pending', 'pending']);
});

Then('both deletes of {name} have completed', async function (this: VmbusWorld, gpadl: string) {
  assert.deepEqual(await Promise.all(this.deletesOf(gpadl).map((op) => this.operationState(op))), ['completed', 'completed']);
});

Then('the delete has completed', async function (this: VmbusWorld) {
  assert.equal(await this.operationState(this.lastDeleteOperation()), 'completed', 'the delete has not completed');
});

// ---------------------------------------------------------------- refused set-up and observations

Given('the client has started deleting {name}', async function (this: VmbusWorld, gpadl: string) {
  await this.deleteGpadl(gpadl);
});

Given('the client has started deleting {name} through channel {name}', async function (this: VmbusWorld, gpadl: string, channel: string) {
  await this.deleteGpadl(gpadl, 'client', channel);
});

Given('the client\'s create of a GPADL for buffer {name} with flags {flags} was refused', async function (this: VmbusWorld, buffer: string, flags: GpadlFlags) {
  this.expectRefused(await this.createGpadl('refused', buffer, { flags }), 'the create');
});

Then('a GPADL handle is returned', function (this: VmbusWorld) {
  assert.notEqual(this.handleOfLastCreate, undefined, 'the create returned no GPADL handle');
});
