/**
 * A host that refuses or is slow (capability hostControl): the suite directs the host behind a
 * channel, then looks at what the guest under test does: its creates and opens, and its messages.
 */
import assert from 'node:assert/strict';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { formatStatus, hex, NO_GPADL_FLAGS, ntSuccess, STATUS_PENDING, type NtStatus, type TraceEvent } from '../src/contract/index.js';
import type { VmbusWorld } from './support/world.js';

Given('the host will refuse the next GPADL', async function (this: VmbusWorld) {
  await this.directHost('refuseGpadl');
});

Given('the host will hold back its answer to the next GPADL', async function (this: VmbusWorld) {
  await this.directHost('deferGpadl');
});

Given('the host will refuse the next open', async function (this: VmbusWorld) {
  await this.directHost('refuseOpen');
});

Given('the host will answer nothing when it revokes the channel', async function (this: VmbusWorld) {
  await this.directHost('revokeSilently');
});

When('the host answers the GPADL it held back', async function (this: VmbusWorld) {
  this.expectOkStatus(await this.impl.hostAnswerDeferred!(this.endpoint('server')), 'make the host answer the GPADL it held back');
  await this.noteRingGpadl();
});

Given('the client has started creating a GPADL {name} for buffer {name}', async function (this: VmbusWorld, gpadl: string, buffer: string) {
  const status = await this.createGpadl(gpadl, buffer);
  assert.equal(formatStatus(status), formatStatus(STATUS_PENDING), `the create of "${gpadl}" did not block on the held-back answer`);
  this.pendingCreate(gpadl);
});

Given('the client has started creating a GPADL {name} from MDL {name} starting at byte {int} for {int} bytes', async function (this: VmbusWorld, gpadl: string, mdl: string, start: number, length: number) {
  const status = await this.createGpadlFromMdl(gpadl, mdl, NO_GPADL_FLAGS, start, length);
  assert.equal(formatStatus(status), formatStatus(STATUS_PENDING), `the create of "${gpadl}" did not block on the held-back answer`);
  this.pendingCreate(gpadl);
});

Then('the create of {name} is pending', async function (this: VmbusWorld, gpadl: string) {
  const operation = this.pendingCreate(gpadl);
  assert.equal(await this.operationState(operation), 'pending', `the create of "${gpadl}" is not pending`);
  const outcome = await this.createOutcome(gpadl);
  assert.equal(formatStatus(outcome.status), formatStatus(STATUS_PENDING), `the outcome of the create of "${gpadl}" is not STATUS_PENDING while it waits`);
});

/** The create has completed; its outcome, which the steps below judge. */
async function completedOutcome(world: VmbusWorld, gpadl: string): Promise<{ status: NtStatus; gpadl?: number }> {
  assert.equal(await world.operationState(world.pendingCreate(gpadl)), 'completed', `the create of "${gpadl}" has not completed`);
  const outcome = await world.createOutcome(gpadl);
  assert.notEqual(formatStatus(outcome.status), formatStatus(STATUS_PENDING), `the create of "${gpadl}" completed, yet its outcome is still STATUS_PENDING`);
  return outcome;
}

Then('the create of {name} has completed with a GPADL handle', async function (this: VmbusWorld, gpadl: string) {
  const outcome = await completedOutcome(this, gpadl);
  assert.ok(ntSuccess(outcome.status) && outcome.gpadl !== undefined, `the create of "${gpadl}" ended with ${formatStatus(outcome.status)} and ${outcome.gpadl === undefined ? 'no handle' : 'a handle'}`);
});

Then('the create of {name} has failed with no GPADL handle', async function (this: VmbusWorld, gpadl: string) {
  const outcome = await completedOutcome(this, gpadl);
  assert.ok(!ntSuccess(outcome.status), `the create of "${gpadl}" succeeded after all`);
  assert.equal(outcome.gpadl, undefined, `the failed create of "${gpadl}" still returned handle ${outcome.gpadl === undefined ? '' : hex(outcome.gpadl)}`);
});

Then('the create of {name} has failed with {status}', async function (this: VmbusWorld, gpadl: string, status: NtStatus) {
  const outcome = await completedOutcome(this, gpadl);
  assert.equal(formatStatus(outcome.status), formatStatus(status), `the create of "${gpadl}" ended with the wrong status`);
});

/** Each create named in the table has completed once (one `completed` event in the trace), with a failure and no handle. */
async function failedOnce(world: VmbusWorld, table: DataTable, status?: NtStatus): Promise<void> {
  const trace = await world.trace();
  for (const [gpadl] of table.raw()) {
    const outcome = await completedOutcome(world, gpadl!);
    assert.ok(!ntSuccess(outcome.status), `the create of "${gpadl}" succeeded after all`);
    assert.equal(outcome.gpadl, undefined, `the failed create of "${gpadl}" still returned a handle`);
    if (status !== undefined) assert.equal(formatStatus(outcome.status), formatStatus(status), `the create of "${gpadl}" ended with the wrong status`);
    const operation = world.pendingCreate(gpadl!);
    const completions = trace.filter((e) => e.kind === 'completed' && e.operation === operation && e.fn.startsWith('VmbChannelCreateGpadlFrom')).length;
    assert.equal(completions, 1, `the trace shows the create of "${gpadl}" completing ${completions} times, not once`);
  }
}

Then('each of these creates has failed exactly once, with no GPADL handle:', async function (this: VmbusWorld, table: DataTable) {
  await failedOnce(this, table);
});

Then('each of these creates has failed exactly once with {status}:', async function (this: VmbusWorld, status: NtStatus, table: DataTable) {
  await failedOnce(this, table, status);
});

// ---------------------------------------------------------------- a refused open, from the trace

/** The last OPENCHANNEL, the OPENCHANNEL_RESULT that answered it, and everything after. */
function lastOpen(trace: readonly TraceEvent[]): { open: number; ring: number; result: number } {
  const open = trace.findLastIndex((e) => e.kind === 'message' && e.message.type === 'OPENCHANNEL');
  assert.ok(open >= 0, 'the guest sent no OPENCHANNEL');
  const sent = trace[open]!;
  const ring = sent.kind === 'message' && sent.message.type === 'OPENCHANNEL' ? sent.message.ringBufferGpadlHandle : 0;
  const result = trace.findIndex((e, i) => i > open && e.kind === 'message' && e.message.type === 'OPENCHANNEL_RESULT');
  assert.ok(result >= 0, 'no OPENCHANNEL_RESULT answered the last OPENCHANNEL');
  return { open, ring, result };
}

Then('the host answered the OPENCHANNEL with a failure', async function (this: VmbusWorld) {
  const trace = await this.trace();
  const answer = trace[lastOpen(trace).result]!;
  assert.ok(answer.kind === 'message' && answer.message.type === 'OPENCHANNEL_RESULT' && answer.message.status !== 0, 'the OPENCHANNEL_RESULT reports success');
});

Then('after the failed OPENCHANNEL_RESULT the guest tore down the ring-buffer GPADL that OPENCHANNEL named', async function (this: VmbusWorld) {
  const trace = await this.trace();
  const { ring, result } = lastOpen(trace);
  const teardown = trace.findIndex((e, i) => i > result && e.kind === 'message' && e.message.type === 'GPADL_TEARDOWN' && e.message.gpadl === ring);
  assert.ok(teardown >= 0, `the guest never sent GPADL_TEARDOWN for the ring-buffer GPADL ${hex(ring)} after the open failed`);
  const tornDown = trace.findIndex((e, i) => i > teardown && e.kind === 'message' && e.message.type === 'GPADL_TORNDOWN' && e.message.gpadl === ring);
  assert.ok(tornDown >= 0, `the ring-buffer GPADL ${hex(ring)} was never torn down (no GPADL_TORNDOWN)`);
});

// ---------------------------------------------------------------- the host's answers, from the trace

Then('after the last disable call the host answered the GPADL {name} sent with a failed GPADL_CREATED', async function (this: VmbusWorld, gpadl: string) {
  const trace = await this.trace();
  const created = trace.findLastIndex((e) => e.kind === 'call' && e.fn.startsWith('VmbChannelCreateGpadlFrom'));
  const header = trace.findIndex((e, i) => i > created && e.kind === 'message' && e.message.type === 'GPADL_HEADER');
  assert.ok(created >= 0 && header >= 0, `the trace shows no GPADL_HEADER for the create of "${gpadl}"`);
  const sent = trace[header]!;
  const id = sent.kind === 'message' && sent.message.type === 'GPADL_HEADER' ? sent.message.gpadl : 0;
  const disable = trace.findLastIndex((e) => e.kind === 'call' && e.fn === 'VmbChannelDisable');
  const answers = trace.slice(disable + 1).flatMap((e) => (e.kind === 'message' && e.message.type === 'GPADL_CREATED' && e.message.gpadl === id ? [e.message] : []));
  assert.equal(answers.length, 1, `after the disable the host sent ${answers.length} GPADL_CREATED for GPADL ${hex(id)}, not one`);
  assert.notEqual(answers[0]!.creationStatus, 0, `the host accepted GPADL ${hex(id)} at the revoke`);
});

Then('after the last disable call the host sent RESCIND_CHANNELOFFER and nothing else', async function (this: VmbusWorld) {
  const trace = await this.trace();
  const disable = trace.findLastIndex((e) => e.kind === 'call' && e.fn === 'VmbChannelDisable');
  assert.ok(disable >= 0, 'the trace shows no disable call');
  const sent = trace.slice(disable + 1).flatMap((e) => (e.kind === 'message' && e.direction === 'host-to-guest' ? [e.message.type] : []));
  assert.deepEqual(sent, ['RESCIND_CHANNELOFFER'], `after the disable the host sent ${sent.length === 0 ? 'nothing' : sent.join(', ')}`);
});
