/**
 * What a guest sends, checked in the trace: how a create splits its page list over GPADL_HEADER
 * and GPADL_BODY, the header's range fields, the bytes of messages that travelled as bytes, and the
 * OPENCHANNEL and RELID_RELEASED of a channel. Lists of numbers are written "26 + 2 × 28 + 1": the
 * GPADL_HEADER's value first, then each GPADL_BODY's.
 *
 * Steps about bytes check every message that carries them, and pass when the trace carries none:
 * the contract makes bytes optional, and WIRE-07 (a reference rule) is where their absence shows.
 */
import assert from 'node:assert/strict';
import { Then, type DataTable } from '@cucumber/cucumber';
import { hex } from '../src/contract/index.js';
import { GPA_RANGE_HEADER_SIZE } from '../src/protocol/messages.js';
import type { VmbusWorld } from './support/world.js';
import {
  assertHeaderThenBodies,
  bytesProblem,
  compactList,
  describeEvent,
  expandList,
  firstRange,
  lastCleanup,
  lastCreateMessages,
  layoutValue,
  messagesWithBytes,
  openedChannelId,
  pageNumbersPerMessage,
  pfnList,
  rangesOfCreate,
  readField,
  ringHeader,
  sentMessages,
  sizeOf,
  unansweredRequests,
} from './support/wireGuest.js';

// ---------------------------------------------------------------- splitting

Then('the create sent one GPADL_HEADER and {int} GPADL_BODY message(s)', async function (this: VmbusWorld, bodies: number) {
  const create = await lastCreateMessages(this);
  assertHeaderThenBodies(create);
  assert.equal(create.bodies.length, bodies, `the create sent ${create.bodies.length} GPADL_BODY messages`);
});

Then('the messages of the create carry {string} page numbers', async function (this: VmbusWorld, list: string) {
  const create = await lastCreateMessages(this);
  assertHeaderThenBodies(create);
  const counts = pageNumbersPerMessage(create).map((pfns) => pfns.length);
  assert.equal(compactList(counts), compactList(expandList(list)), 'page numbers per message (GPADL_HEADER first)');
});

Then('the messages of the create are {string} bytes long', async function (this: VmbusWorld, list: string) {
  const create = await lastCreateMessages(this);
  assertHeaderThenBodies(create);
  assert.equal(compactList(create.messages.map(sizeOf)), compactList(expandList(list)), 'message sizes in bytes (GPADL_HEADER first)');
});

Then('the page numbers of the create\'s messages are the pages of buffer {name}, in order', async function (this: VmbusWorld, buffer: string) {
  const create = await lastCreateMessages(this);
  assertHeaderThenBodies(create);
  const sent = pfnList(pageNumbersPerMessage(create).flat());
  assert.deepEqual(sent, await this.bufferPfns(buffer), `the page numbers across GPADL_HEADER and GPADL_BODY differ from buffer "${buffer}"'s pages`);
});

Then('every GPADL_BODY of the create names the GPADL of its GPADL_HEADER, {name}', async function (this: VmbusWorld, gpadl: string) {
  const create = await lastCreateMessages(this);
  const handle = this.gpadl(gpadl).handle;
  assert.equal(hex(create.header.gpadl), hex(handle), `the GPADL_HEADER does not name "${gpadl}"`);
  assert.ok(create.bodies.length > 0, 'the create sent no GPADL_BODY');
  create.bodies.forEach((body, i) => assert.equal(hex(body.gpadl), hex(handle), `GPADL_BODY ${i + 1} names another GPADL`));
});

Then(
  'the GPADL_HEADER describes one range of {int} bytes starting {int} bytes into its first page, with range_buflen {int}',
  async function (this: VmbusWorld, byteCount: number, byteOffset: number, rangeBufLen: number) {
    const { header } = await lastCreateMessages(this);
    assert.equal(header.rangeCount, 1, 'GPADL_HEADER rangecount');
    assert.equal(header.rangeBufLen, rangeBufLen, 'GPADL_HEADER range_buflen');
    assert.deepEqual(firstRange(header), { byteCount, byteOffset }, 'GPADL_HEADER range[0] byte_count and byte_offset');
  },
);

/**
 * One row per GPA range the create's GPADL_HEADER declares, in order; the range_buflen must be the
 * size of exactly these ranges (8 bytes of range header and 8 per page each):
 *
 *   | byte offset | byte count | pages |
 *   | 1           | 4095       | A0    |
 *   | 2048        | 4097       | B0 B1 |
 *
 * `pages` names pages of the scenario's buffers, as in "lists the pages".
 */
Then("the create's GPADL_HEADER describes the ranges:", async function (this: VmbusWorld, table: DataTable) {
  const create = await lastCreateMessages(this);
  assertHeaderThenBodies(create);
  const expected = await Promise.all(
    table.hashes().map(async (row) => ({ byteOffset: Number(row['byte offset']), byteCount: Number(row['byte count']), pfns: await this.namedPages(row['pages'] ?? '') })),
  );
  assert.equal(create.header.rangeCount, expected.length, 'GPADL_HEADER rangecount');
  const pages = expected.reduce((sum, range) => sum + range.pfns.length, 0);
  assert.equal(create.header.rangeBufLen, GPA_RANGE_HEADER_SIZE * expected.length + 8 * pages, 'GPADL_HEADER range_buflen');
  const actual = rangesOfCreate(create).map((range) => ({ byteOffset: range.byteOffset, byteCount: range.byteCount, pfns: pfnList([...range.pfns]) }));
  assert.deepEqual(actual, expected, 'the ranges of the GPADL_HEADER (byte_offset, byte_count, page numbers of each)');
});

// ---------------------------------------------------------------- bytes

Then('every message in the trace that carries bytes is the encoding of the message it records', async function (this: VmbusWorld) {
  const withBytes = await messagesWithBytes(this);
  const problems = withBytes.flatMap((event, i) => {
    const problem = bytesProblem(event);
    return problem === undefined ? [] : [`  ${i}: ${describeEvent(event)}: ${problem}`];
  });
  assert.deepEqual(problems, [], `messages whose bytes are not their layout:\n${problems.join('\n')}`);
});

Then('the bytes of the GPADL_HEADER of {name} hold, at their offsets:', async function (this: VmbusWorld, gpadl: string, table: DataTable) {
  const handle = this.gpadl(gpadl).handle;
  const event = (await messagesWithBytes(this)).find((e) => e.message.type === 'GPADL_HEADER' && e.message.gpadl === handle);
  if (event === undefined) return; // no bytes traced: nothing to check here (WIRE-07)
  const channelId = (await this.endpointInfo('client')).channelId;
  assert.ok(channelId !== null, 'the client endpoint has no channel id');
  for (const row of table.hashes()) {
    const [offset, field, type, value] = [Number(row['offset']), row['field'] ?? '', row['type'] ?? '', row['value'] ?? ''];
    assert.equal(hex(readField(event.bytes, offset, type)), hex(await layoutValue(this, value, channelId)), `${field} (${type} at byte ${offset})`);
  }
});

Then('every channel message in the trace carries its bytes', async function (this: VmbusWorld) {
  const messages = (await this.trace()).filter((e) => e.kind === 'message');
  assert.ok(messages.length > 0, 'the trace has no channel message');
  const without = messages.filter((e) => e.kind === 'message' && e.bytes === undefined).map((e) => (e.kind === 'message' ? describeEvent(e) : ''));
  assert.deepEqual(without, [], `${without.length} of ${messages.length} messages carry no bytes`);
});

// ---------------------------------------------------------------- open

Then('the OPENCHANNEL message names the ring-buffer GPADL', async function (this: VmbusWorld) {
  const ring = this.ringGpadl();
  const opens = (await sentMessages(this)).flatMap((e) => (e.message.type === 'OPENCHANNEL' ? [e.message] : []));
  const open = opens[opens.length - 1];
  assert.ok(open !== undefined, 'no OPENCHANNEL message was sent');
  assert.equal(hex(open.ringBufferGpadlHandle), hex(ring), 'OPENCHANNEL ringbuffer_gpadlhandle');
  const channelId = (await this.endpointInfo('client')).channelId;
  assert.equal(open.childRelid, channelId, 'OPENCHANNEL child_relid');
  assert.equal((await ringHeader(this, ring)).childRelid, channelId, 'the ring-buffer GPADL\'s GPADL_HEADER names another channel');
});

Then("the OPENCHANNEL's openid is the channel's id", async function (this: VmbusWorld) {
  const opens = (await sentMessages(this)).flatMap((e) => (e.message.type === 'OPENCHANNEL' ? [e.message] : []));
  const open = opens.at(-1);
  assert.ok(open !== undefined, 'no OPENCHANNEL message was sent');
  assert.equal(open.openId, open.childRelid, 'OPENCHANNEL openid');
});

Then('the ring-buffer GPADL is one range of {int} whole pages', async function (this: VmbusWorld, pages: number) {
  const header = await ringHeader(this, this.ringGpadl());
  assert.equal(header.rangeCount, 1, 'ring-buffer GPADL_HEADER rangecount');
  assert.equal(header.rangeBufLen, GPA_RANGE_HEADER_SIZE + 8 * pages, 'ring-buffer GPADL_HEADER range_buflen');
  assert.deepEqual(firstRange(header), { byteCount: pages * 4096, byteOffset: 0 }, 'ring-buffer range byte_count and byte_offset');
});

// ---------------------------------------------------------------- release

Then('the guest sent no RELID_RELEASED', async function (this: VmbusWorld) {
  const released = (await sentMessages(this)).filter((e) => e.message.type === 'RELID_RELEASED');
  assert.equal(released.length, 0, `the guest sent RELID_RELEASED for a channel the host never rescinded (${released.length})`);
});

Then('the guest sent one RELID_RELEASED for the channel, during the client\'s cleanup', async function (this: VmbusWorld) {
  const channel = await openedChannelId(this);
  const { trace, call, ret } = await lastCleanup(this);
  const at = trace.flatMap((e, i) => (e.kind === 'message' && e.direction === 'guest-to-host' && e.message.type === 'RELID_RELEASED' && e.message.childRelid === channel ? [i] : []));
  assert.equal(at.length, 1, `${at.length} RELID_RELEASED messages name channel ${channel}`);
  assert.ok(at[0]! > call && at[0]! < ret, `RELID_RELEASED was sent at event ${at[0]}, outside the cleanup (events ${call} to ${ret})`);
});

Then('the RELID_RELEASED follows the answer to every GPADL request the guest sent on the channel', async function (this: VmbusWorld) {
  const channel = await openedChannelId(this);
  const trace = await this.trace();
  const release = trace.findIndex((e) => e.kind === 'message' && e.direction === 'guest-to-host' && e.message.type === 'RELID_RELEASED' && e.message.childRelid === channel);
  assert.ok(release >= 0, `the guest never released channel ${channel}`);
  const pending = unansweredRequests(trace, channel, release);
  assert.deepEqual(pending, [], 'GPADL requests still unanswered when the guest sent RELID_RELEASED');
});
