/** Channels and their endpoints: allocate, the ring-buffer page count setter, enable, disable, cleanup. */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { hex, type EndpointState, type Role } from '../src/contract/index.js';
import type { VmbusWorld } from './support/world.js';

Given('an open channel', async function (this: VmbusWorld) {
  await this.openChannel();
});

Given('an open channel {name}', async function (this: VmbusWorld, channel: string) {
  await this.openChannel(channel);
});

Given('the server has offered the channel', async function (this: VmbusWorld) {
  await this.offerChannel();
});

Given('the server has allocated its endpoint', async function (this: VmbusWorld) {
  this.expectOkStatus(await this.allocateEndpoint('server'), 'allocate the server endpoint');
});

Given('the client has allocated its endpoint', async function (this: VmbusWorld) {
  this.expectOkStatus(await this.allocateEndpoint('client'), 'allocate the client endpoint');
});

When('the {role} allocates its endpoint', async function (this: VmbusWorld, role: Role) {
  this.record('allocation', await this.allocateEndpoint(role));
});

When('the {role} enables the channel', async function (this: VmbusWorld, role: Role) {
  this.record('enable', await this.enable(role));
});

// For rules about what the guest sends when an open fails: whether the enable waits for the open and
// reports its failure is choice G29 (WIRE-15), so the status is not this rule's to check.
When('the {role} enables the channel, whatever the enable returns', async function (this: VmbusWorld, role: Role) {
  await this.enable(role);
});

When('the {role} sets the ring buffer page counts to {int} incoming and {int} outgoing', async function (this: VmbusWorld, role: Role, incoming: number, outgoing: number) {
  this.record('ring buffer page count setting', await this.impl.setRingBufferPageCount(this.endpoint(role), incoming, outgoing));
});

Given('the {role} has disabled the channel', async function (this: VmbusWorld, role: Role) {
  await this.impl.disableChannel(this.endpoint(role));
});

When('the {role} disables the channel', async function (this: VmbusWorld, role: Role) {
  await this.impl.disableChannel(this.endpoint(role));
});

Given('the {role} has cleaned up the channel', async function (this: VmbusWorld, role: Role) {
  await this.impl.cleanupChannel(this.endpoint(role));
});

When('the {role} cleans up the channel', async function (this: VmbusWorld, role: Role) {
  await this.impl.cleanupChannel(this.endpoint(role));
});

When('the {role} asks for the state of its endpoint', async function (this: VmbusWorld, role: Role) {
  this.record('endpoint query', await this.queryEndpoint(role));
});

Then('the {role} endpoint is {state}', async function (this: VmbusWorld, role: Role, state: EndpointState) {
  assert.equal((await this.endpointInfo(role)).state, state, `the ${role} endpoint is in the wrong state`);
});

Then('the channel has a ring-buffer GPADL', async function (this: VmbusWorld) {
  assert.notEqual((await this.endpointInfo('client')).ringGpadl, null, 'the opened channel has no ring-buffer GPADL');
});

Then('the channel has no ring-buffer GPADL', async function (this: VmbusWorld) {
  const ring = (await this.endpointInfo('client')).ringGpadl;
  assert.equal(ring, null, `the ring-buffer GPADL ${ring === null ? '' : hex(ring)} still exists`);
});

Given('the {role} has enabled the channel', async function (this: VmbusWorld, role: Role) {
  this.expectOkStatus(await this.enable(role), `enable the ${role} endpoint`);
});

Given('the client has set the ring buffer page counts to {int} incoming and {int} outgoing', async function (this: VmbusWorld, incoming: number, outgoing: number) {
  this.expectOkStatus(await this.impl.setRingBufferPageCount(this.endpoint('client'), incoming, outgoing), 'set the ring buffer page counts');
});
