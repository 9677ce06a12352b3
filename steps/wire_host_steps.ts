/**
 * A VMBus host on the wire (capability `wireHost`): the suite plays the guest, sends raw channel
 * messages and checks the raw messages the host answers with. Glue only: steps/support/wireHost.ts
 * builds and decodes the messages.
 *
 * "the host answers ..." looks at everything the host sent during the last When (or Given) step
 * that sent messages, revoked, or let a device release a GPADL.
 */
import assert from 'node:assert/strict';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { formatStatus, gpadlHandle, hex, ntSuccess, PAGE_SIZE } from '../src/contract/index.js';
import { vmbusVersion, type HostToGuestMessage } from '../src/protocol/messages.js';
import { pagesRange, wireHost } from './support/wireHost.js';
import type { VmbusWorld } from './support/world.js';

// ---------------------------------------------------------------- the host

Given('the host has offered channel {int}', async function (this: VmbusWorld, channel: number) {
  await wireHost(this).offer(channel);
});

Given('the host has offered channels {int} and {int}', async function (this: VmbusWorld, first: number, second: number) {
  await wireHost(this).offer(first);
  await wireHost(this).offer(second);
});

When('the host offers channel {int}', async function (this: VmbusWorld, channel: number) {
  await wireHost(this).offer(channel);
});

Then('channels {int} and {int} were offered with instance GUIDs of their own', function (this: VmbusWorld, first: number, second: number) {
  const [a, b] = [wireHost(this).instance(first), wireHost(this).instance(second)];
  assert.notEqual(a, b, `both OFFERCHANNEL messages carry the instance GUID ${a}`);
});

Given('the host has revoked channel {int}', async function (this: VmbusWorld, channel: number) {
  await wireHost(this).revoke(channel);
  assert.ok(wireHost(this).describeReplies().some((m) => m.startsWith('RESCIND_CHANNELOFFER')), 'the revoke sent no RESCIND_CHANNELOFFER');
});

When('the host revokes channel {int}', async function (this: VmbusWorld, channel: number) {
  await wireHost(this).revoke(channel);
});

Given('a device on the host holds GPADL {handle} of channel {int}', async function (this: VmbusWorld, gpadl: number, channel: number) {
  await wireHost(this).hold(channel, gpadl);
  const status = wireHost(this).lastHoldStatus();
  assert.ok(ntSuccess(status), `the device could not hold the GPADL: ${formatStatus(status)}`);
});

When('a device on the host tries to hold GPADL {handle} of channel {int}', async function (this: VmbusWorld, gpadl: number, channel: number) {
  await wireHost(this).hold(channel, gpadl);
});

Then('the hold fails', function (this: VmbusWorld) {
  const status = wireHost(this).lastHoldStatus();
  assert.ok(!ntSuccess(status), `the hold succeeded (${formatStatus(status)})`);
});

When('the device releases GPADL {handle} of channel {int}', async function (this: VmbusWorld, gpadl: number, channel: number) {
  const status = await wireHost(this).release(channel, gpadl);
  assert.ok(ntSuccess(status), `the release failed: ${formatStatus(status)}`);
});

// ---------------------------------------------------------------- the guest: GPADLs

Given('the guest has created GPADL {handle} on channel {int} with {int} page(s)', async function (this: VmbusWorld, gpadl: number, channel: number, pages: number) {
  await wireHost(this).createGpadl(channel, gpadl, pages);
});

const sendHeader = async function (this: VmbusWorld, gpadl: number, channel: number, pages: number): Promise<void> {
  wireHost(this).beginStep();
  await wireHost(this).sendHeader(channel, gpadl, pages);
};
Given('the guest has sent a GPADL_HEADER for GPADL {handle} on channel {int} with {int} page(s)', sendHeader);
When('the guest sends a GPADL_HEADER for GPADL {handle} on channel {int} with {int} page(s)', sendHeader);

When(
  'the guest sends a GPADL_HEADER for GPADL {handle} on channel {int} with {int} page(s), padded with page numbers to {int} bytes',
  async function (this: VmbusWorld, gpadl: number, channel: number, pages: number, bytes: number) {
    wireHost(this).beginStep();
    await wireHost(this).sendHeader(channel, gpadl, pages, bytes);
  },
);

const sendOneRange = async function (this: VmbusWorld, gpadl: number, channel: number, byteCount: number, byteOffset: number, pfns: number): Promise<void> {
  wireHost(this).beginStep();
  await wireHost(this).sendOneRange(channel, gpadl, byteCount, byteOffset, pfns);
};
Given('the guest has sent a GPADL_HEADER for GPADL {handle} on channel {int} with one range of {int} bytes at offset {handle} and {int} page number(s)', sendOneRange);
When('the guest sends a GPADL_HEADER for GPADL {handle} on channel {int} with one range of {int} bytes at offset {handle} and {int} page number(s)', sendOneRange);

When('the guest sends a GPADL_HEADER for GPADL {handle} on channel {int} with no ranges', async function (this: VmbusWorld, gpadl: number, channel: number) {
  wireHost(this).beginStep();
  await wireHost(this).sendRawHeader(channel, gpadl, 0, new Uint8Array(0));
});

Given(
  'the guest has created GPADL {handle} on channel {int} as {int} ranges of {int} pages',
  async function (this: VmbusWorld, gpadl: number, channel: number, ranges: number, pages: number) {
    const session = wireHost(this);
    session.beginStep();
    await session.sendRanges(channel, gpadl, Array.from({ length: ranges }, (_, i) => pagesRange(pages, 0x30000 + 0x100 * i)));
    session.expectCreated(channel, gpadl, 'success');
  },
);

Given(
  'the guest has created GPADL {handle} on channel {int} as one range of {int} bytes at offset {handle}',
  async function (this: VmbusWorld, gpadl: number, channel: number, byteCount: number, byteOffset: number) {
    const session = wireHost(this);
    session.beginStep();
    const pfns = Math.ceil((byteOffset + byteCount) / PAGE_SIZE);
    await session.sendOneRange(channel, gpadl, byteCount, byteOffset, pfns);
    session.expectCreated(channel, gpadl, 'success');
  },
);

const nextBody = async function (this: VmbusWorld, gpadl: number): Promise<void> {
  wireHost(this).beginStep();
  await wireHost(this).sendNextBody(gpadl);
};
Given('the guest has sent the next GPADL_BODY for GPADL {handle}', nextBody);
When('the guest sends the next GPADL_BODY for GPADL {handle}', nextBody);

When('the guest sends the next GPADL_BODY for GPADL {handle}, padded with page numbers to {int} bytes', async function (this: VmbusWorld, gpadl: number, bytes: number) {
  wireHost(this).beginStep();
  await wireHost(this).sendNextBody(gpadl, bytes);
});

When('the guest sends every GPADL_BODY for GPADL {handle} but the last', async function (this: VmbusWorld, gpadl: number) {
  const session = wireHost(this);
  session.beginStep();
  assert.ok(session.bodiesLeft(gpadl) > 1, 'the GPADL has fewer than two GPADL_BODY messages left');
  while (session.bodiesLeft(gpadl) > 1) await session.sendNextBody(gpadl);
});

/** Goes on with the step before it (a GPADL_HEADER): the host's answers to the header and to its bodies are judged together. */
When('the guest sends every GPADL_BODY for GPADL {handle}', async function (this: VmbusWorld, gpadl: number) {
  const session = wireHost(this);
  while (session.bodiesLeft(gpadl) > 0) await session.sendNextBody(gpadl);
});

When('the guest sends the last GPADL_BODY for GPADL {handle}', async function (this: VmbusWorld, gpadl: number) {
  const session = wireHost(this);
  session.beginStep();
  assert.equal(session.bodiesLeft(gpadl), 1, 'the step expects exactly one GPADL_BODY left');
  await session.sendNextBody(gpadl);
});

When('the guest sends a GPADL_BODY with {int} page number(s) for GPADL {handle}', async function (this: VmbusWorld, pages: number, gpadl: number) {
  wireHost(this).beginStep();
  await wireHost(this).sendStrayBody(gpadl, pages);
});

const teardown = async function (this: VmbusWorld, gpadl: number, channel: number): Promise<void> {
  const session = wireHost(this);
  session.beginStep();
  await session.send({ type: 'GPADL_TEARDOWN', childRelid: session.channel(channel), gpadl: gpadlHandle(gpadl) });
};
Given('the guest has sent GPADL_TEARDOWN for GPADL {handle} on channel {int}', teardown);
When('the guest sends GPADL_TEARDOWN for GPADL {handle} on channel {int}', teardown);

// ---------------------------------------------------------------- the guest: channels

Given('the guest has opened channel {int} with ring GPADL {handle}', async function (this: VmbusWorld, channel: number, ring: number) {
  const session = wireHost(this);
  session.beginStep();
  await session.openChannel(channel, ring, 1);
  session.expectOpenResult(channel, 'success');
});

When(
  'the guest sends OPENCHANNEL for channel {int} with ring GPADL {handle} and downstream page offset {int}',
  async function (this: VmbusWorld, channel: number, ring: number, offset: number) {
    wireHost(this).beginStep();
    await wireHost(this).openChannel(channel, ring, offset);
  },
);

const close = async function (this: VmbusWorld, channel: number): Promise<void> {
  const session = wireHost(this);
  session.beginStep();
  await session.send({ type: 'CLOSECHANNEL', childRelid: session.channel(channel) });
};
Given('the guest has sent CLOSECHANNEL for channel {int}', close);
When('the guest sends CLOSECHANNEL for channel {int}', close);

const released = async function (this: VmbusWorld, channel: number): Promise<void> {
  const session = wireHost(this);
  session.beginStep();
  await session.send({ type: 'RELID_RELEASED', childRelid: session.channel(channel) });
};
Given('the guest has sent RELID_RELEASED for channel {int}', released);
When('the guest sends RELID_RELEASED for channel {int}', released);

// ---------------------------------------------------------------- the guest: the connection

const unload = async function (this: VmbusWorld): Promise<void> {
  wireHost(this).beginStep();
  await wireHost(this).send({ type: 'UNLOAD' });
};
Given('the guest has sent UNLOAD', unload);
When('the guest sends UNLOAD', unload);

Given('the guest has unloaded', async function (this: VmbusWorld) {
  await unload.call(this);
  wireHost(this).expectUnloadResponse();
});

Given('the guest has reconnected', async function (this: VmbusWorld) {
  await wireHost(this).reconnect();
});

When('the guest sends INITIATE_CONTACT for version {int}.{int}', async function (this: VmbusWorld, major: number, minor: number) {
  wireHost(this).beginStep();
  await wireHost(this).initiateContact(vmbusVersion(major, minor));
});

When('the guest sends INITIATE_CONTACT for version number {handle}', async function (this: VmbusWorld, version: number) {
  wireHost(this).beginStep();
  await wireHost(this).initiateContact(version);
});

When('the guest sends REQUESTOFFERS', async function (this: VmbusWorld) {
  wireHost(this).beginStep();
  await wireHost(this).send({ type: 'REQUESTOFFERS' });
});

// ---------------------------------------------------------------- what the host answered

Then('the host answers nothing', function (this: VmbusWorld) {
  wireHost(this).expectNothing();
});

Then('the host answers GPADL_CREATED for GPADL {handle} on channel {int} with status 0', function (this: VmbusWorld, gpadl: number, channel: number) {
  wireHost(this).expectCreated(channel, gpadl, 'success');
});

Then('the host answers GPADL_CREATED for GPADL {handle} on channel {int} with a failure status', function (this: VmbusWorld, gpadl: number, channel: number) {
  wireHost(this).expectCreated(channel, gpadl, 'failure');
});

Then('the host does not accept GPADL {handle}', function (this: VmbusWorld, gpadl: number) {
  wireHost(this).expectNotAccepted(gpadl);
});

Then('the host answers GPADL_TORNDOWN for GPADL {handle}', function (this: VmbusWorld, gpadl: number) {
  wireHost(this).expectTorndown(gpadl);
});

Then('the host answers OPENCHANNEL_RESULT for channel {int} with status 0', function (this: VmbusWorld, channel: number) {
  wireHost(this).expectOpenResult(channel, 'success');
});

Then('the host answers OPENCHANNEL_RESULT for channel {int} with a failure status', function (this: VmbusWorld, channel: number) {
  wireHost(this).expectOpenResult(channel, 'failure');
});

Then('the host answers UNLOAD_RESPONSE', function (this: VmbusWorld) {
  wireHost(this).expectUnloadResponse();
});

Then('the host answers VERSION_RESPONSE accepting the version', function (this: VmbusWorld) {
  wireHost(this).expectVersionResponse('accepted');
});

Then('the host answers VERSION_RESPONSE accepting the version, with connection id {int}', function (this: VmbusWorld, msgConnId: number) {
  wireHost(this).expectVersionResponse('accepted', msgConnId);
});

// Below 5.0 the u32 at offset 12 is not msg_conn_id: OpenVMM puts the version agreed there (choice G30).
Then('the host answers VERSION_RESPONSE accepting the version, with version number {handle} at offset 12', function (this: VmbusWorld, version: number) {
  wireHost(this).expectVersionResponse('accepted', version);
});

Then('the host answers VERSION_RESPONSE refusing the version', function (this: VmbusWorld) {
  wireHost(this).expectVersionResponse('refused');
});

/**
 * | message              | channel | gpadl   | status  |
 * | RESCIND_CHANNELOFFER | 1       |         |         |
 * | GPADL_CREATED        | 1       | 0xE1E10 | failure |
 *
 * Empty cells are not compared; `status` is `0` or `failure` (GPADL_CREATED, OPENCHANNEL_RESULT).
 */
function answersTable(world: VmbusWorld, table: DataTable, order: 'in order' | 'in any order'): void {
  const session = wireHost(world);
  const cell = (row: Record<string, string>, name: string): string | undefined => (row[name] === undefined || row[name] === '' ? undefined : row[name]);
  const expected = table.hashes().map((row) => {
    const channel = cell(row, 'channel');
    const gpadl = cell(row, 'gpadl');
    return { message: row['message'] ?? '', channel: channel === undefined ? undefined : session.channel(Number(channel)), gpadl: gpadl === undefined ? undefined : Number(gpadl), status: cell(row, 'status') };
  });
  const actual = session.lastReplies();
  const lines = session.describeReplies().join('; ') || 'nothing';
  assert.equal(actual.length, expected.length, `the host answered ${actual.length} messages (${lines}), not ${expected.length}`);
  const mismatch = (want: (typeof expected)[number], got: HostToGuestMessage): string | undefined => {
    if (got.type !== want.message) return `is ${got.type}, not ${want.message}`;
    if (want.channel !== undefined && ('childRelid' in got ? got.childRelid : undefined) !== want.channel) return 'names another channel';
    if (want.gpadl !== undefined && ('gpadl' in got ? got.gpadl : undefined) !== want.gpadl) return 'names another GPADL';
    const status = got.type === 'GPADL_CREATED' ? got.creationStatus : got.type === 'OPENCHANNEL_RESULT' ? got.status : undefined;
    if (want.status !== undefined && (status === undefined || (want.status === 'failure' ? status === 0 : status !== Number(want.status)))) return `has status ${status === undefined ? 'none' : hex(status)}, not ${want.status}`;
    return undefined;
  };
  if (order === 'in order') {
    expected.forEach((want, i) => {
      const problem = mismatch(want, actual[i]!);
      assert.ok(problem === undefined, `answer ${i + 1} ${problem} (${lines})`);
    });
    return;
  }
  const unmatched = [...actual];
  for (const want of expected) {
    const at = unmatched.findIndex((got) => mismatch(want, got) === undefined);
    assert.ok(at >= 0, `no answer is ${want.message}${want.channel === undefined ? '' : ` for channel ${want.channel}`}${want.gpadl === undefined ? '' : ` for GPADL ${hex(want.gpadl)}`} as expected (${lines})`);
    unmatched.splice(at, 1);
  }
}

Then('the host answers, in order:', function (this: VmbusWorld, table: DataTable) {
  answersTable(this, table, 'in order');
});

/** For messages the host may send in either order: OpenVMM's revoke answers GPADLs before it rescinds. */
Then('the host answers, in any order:', function (this: VmbusWorld, table: DataTable) {
  answersTable(this, table, 'in any order');
});
