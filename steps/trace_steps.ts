/**
 * The event trace: contract calls, their returns, the channel messages between guest and host, and
 * the completion of calls that blocked. A trace table lists events that must follow a call in order:
 *
 *   | event         | what          | for |
 *   | guest to host | GPADL_HEADER  | G   |
 *   | host to guest | GPADL_CREATED | G   |
 *   | return        | create        |     |
 *
 * `event` is `guest to host`, `host to guest`, `call`, `return` or `completion`; `what` is a message
 * name or a call (create, delete, map, unmap, enable, disable, cleanup); the optional `for` names a
 * GPADL of the scenario (or `ring-buffer GPADL`) that the message must carry.
 */
import assert from 'node:assert/strict';
import { Then, type DataTable } from '@cucumber/cucumber';
import { hex, type GpadlHandle, type TraceEvent } from '../src/contract/index.js';
import type { VmbusWorld } from './support/world.js';

/** The contract method behind each call a feature names, and its KMCL name. */
const CALLS: Readonly<Record<string, readonly string[]>> = {
  create: ['createGpadlFromBuffer', 'VmbChannelCreateGpadlFromBuffer'],
  'create-from-MDL': ['createGpadlFromMdl', 'VmbChannelCreateGpadlFromMdl'],
  delete: ['deleteGpadl', 'VmbChannelDeleteGpadl'],
  map: ['mapGpadl', 'VmbChannelMapGpadl'],
  unmap: ['unmapGpadl', 'VmbChannelUnmapGpadl'],
  enable: ['enableChannel', 'VmbChannelEnable'],
  disable: ['disableChannel', 'VmbChannelDisable'],
  cleanup: ['cleanupChannel', 'VmbChannelCleanup'],
};

function fnNames(call: string): readonly string[] {
  const names = CALLS[call];
  if (names === undefined) throw new Error(`unknown call "${call}" in a trace step; known: ${Object.keys(CALLS).join(', ')}`);
  return names;
}

function show(event: TraceEvent): string {
  switch (event.kind) {
    case 'call':
    case 'return':
      return `${event.kind} ${event.fn}`;
    case 'completed':
      return `completion ${event.fn}`;
    case 'message': {
      const gpadl = 'gpadl' in event.message ? ` ${hex(event.message.gpadl)}` : '';
      return `${event.direction} ${event.message.type}${gpadl}`;
    }
  }
}

/** The events from the last call of `call` to the end of the trace. */
async function windowFrom(world: VmbusWorld, call: string): Promise<readonly TraceEvent[]> {
  const names = fnNames(call);
  const trace = await world.trace();
  let start = -1;
  trace.forEach((event, i) => {
    if (event.kind === 'call' && names.includes(event.fn)) start = i;
  });
  assert.ok(start >= 0, `the trace has no ${call} call`);
  return trace.slice(start);
}

interface Expected {
  readonly event: string;
  readonly what: string;
  readonly gpadl: GpadlHandle | undefined;
}

function matches(event: TraceEvent, expected: Expected): boolean {
  switch (expected.event) {
    case 'guest to host':
    case 'host to guest':
      return (
        event.kind === 'message' &&
        event.direction === expected.event.replaceAll(' ', '-') &&
        event.message.type === expected.what &&
        (expected.gpadl === undefined || ('gpadl' in event.message && event.message.gpadl === expected.gpadl))
      );
    case 'call':
    case 'return':
      return event.kind === expected.event && fnNames(expected.what).includes(event.fn);
    case 'completion':
      return event.kind === 'completed' && fnNames(expected.what).includes(event.fn);
    default:
      throw new Error(`unknown trace event "${expected.event}"`);
  }
}

/** Where in `window` the first expected event that is missing (or out of order) should be, or -1. */
function firstMissing(window: readonly TraceEvent[], rows: readonly Expected[]): number {
  let at = 0;
  for (const [index, expected] of rows.entries()) {
    // A return or completion is that call's first one: it may not be found later than it happened.
    const from = expected.event === 'return' || expected.event === 'completion' ? 1 : at + 1;
    const found = window.findIndex((event, i) => i >= from && matches(event, expected));
    if (found <= at) return index;
    at = found;
  }
  return -1;
}

function expectedRows(world: VmbusWorld, table: DataTable): Expected[] {
  return table.hashes().map((row) => ({
    event: row['event'] ?? '',
    what: row['what'] ?? '',
    gpadl: !row['for'] ? undefined : row['for'] === 'ring-buffer GPADL' ? world.ringGpadl() : world.gpadl(row['for']).handle,
  }));
}

const listing = (window: readonly TraceEvent[]): string => window.map((e, i) => `  ${i}: ${show(e)}`).join('\n');

Then('from the last {word} call the trace shows, in order:', async function (this: VmbusWorld, call: string, table: DataTable) {
  const [window, rows] = [await windowFrom(this, call), expectedRows(this, table)];
  const missing = firstMissing(window, rows);
  assert.equal(missing, -1, `"${rows[missing]?.event} ${rows[missing]?.what}" is missing or out of order in:\n${listing(window)}`);
});

Then('no channel message follows the last {word} call', async function (this: VmbusWorld, call: string) {
  const messages = (await windowFrom(this, call)).filter((event) => event.kind === 'message');
  assert.equal(messages.length, 0, `messages were exchanged: ${messages.map(show).join(', ')}`);
});

Then('exactly one {word} message carries {name}', async function (this: VmbusWorld, type: string, gpadl: string) {
  const handle = this.gpadl(gpadl).handle;
  const found = (await this.trace()).filter((e) => e.kind === 'message' && e.message.type === type && 'gpadl' in e.message && e.message.gpadl === handle);
  assert.equal(found.length, 1, `${found.length} ${type} messages carry "${gpadl}" (${hex(handle)})`);
});

Then('the OPENCHANNEL message puts the host-to-guest ring {int} pages into the ring-buffer GPADL', async function (this: VmbusWorld, pages: number) {
  const opens = (await this.trace()).flatMap((e) => (e.kind === 'message' && e.message.type === 'OPENCHANNEL' ? [e.message] : []));
  const open = opens[opens.length - 1];
  assert.ok(open !== undefined, 'no OPENCHANNEL message was sent');
  assert.equal(open.downstreamRingBufferPageOffset, pages, 'OPENCHANNEL has the wrong downstream ring-buffer page offset');
});

Then('every GPADL_BODY message carrying {name} has msgnumber {int}', async function (this: VmbusWorld, gpadl: string, msgNumber: number) {
  const numbers = await this.bodyMsgNumbers(gpadl);
  assert.ok(numbers.length > 0, `no GPADL_BODY message carries "${gpadl}"`);
  assert.deepEqual(numbers, numbers.map(() => msgNumber), `the GPADL_BODY messages of "${gpadl}" carry the wrong msgnumber`);
});
