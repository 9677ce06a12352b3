/**
 * Which rule of the suite a difference breaks, where one states it: a table from the call that
 * differed, the aspect that differed and what the reference did, to a rule id. It is the fuzzer's
 * reading of the difference, not a verdict: the printed scenario carries the id as a tag, and a
 * difference no entry matches is printed as a proposed rule. The zoo's test measures how often the
 * tag is one of the rules that catch the fake (test/fuzz/zoo.test.ts).
 */
import type { Call } from './calls.js';
import type { Difference, RecordedStep } from './differential.js';

interface Context {
  readonly call: Call;
  readonly difference: Difference;
  /** The steps before the one that differed. */
  readonly before: readonly RecordedStep[];
}

const failed = (text: string) => /^(STATUS_(?!SUCCESS|PENDING)|failure)/.test(text);
const succeeded = (text: string) => /^(STATUS_SUCCESS|success)/.test(text);
/** The create that made a GPADL, among the steps before. */
function createOf(ctx: Context, name: string): Extract<Call, { fn: 'createFromBuffer' | 'createFromMdl' }> | undefined {
  for (const step of ctx.before) if ((step.call.fn === 'createFromBuffer' || step.call.fn === 'createFromMdl') && step.call.name === name) return step.call;
  return undefined;
}
const gpadlName = (call: Call): string | undefined => ('gpadl' in call && typeof call.gpadl === 'object' && 'name' in call.gpadl ? call.gpadl.name : undefined);
const everUnmapped = (ctx: Context, name: string | undefined) => ctx.before.some((s) => s.call.fn === 'unmap' && gpadlName(s.call) === name);
const role = (call: Call): string | undefined => ('ep' in call ? ('role' in call.ep ? call.ep.role : 'bogus') : undefined);

/** The states of the endpoints the last step that showed them showed, for the endpoint the call names ("ch1 client Opened"). */
function stateBefore(ctx: Context): string {
  if (!('ep' in ctx.call) || !('channel' in ctx.call.ep)) return '';
  const key = `${ctx.call.ep.channel} ${ctx.call.ep.role} `;
  for (const step of [...ctx.before].reverse()) {
    const shown = step.reference.find((o) => o.aspect === 'endpoints')?.text;
    const mine = shown?.split(', ').find((part) => part.startsWith(key));
    if (mine !== undefined) return ` ${mine}`;
  }
  return ` ${key}Opened`;
}

type Entry = readonly [rule: string, when: (ctx: Context, ref: string, impl: string) => boolean];

/** By the call's function; the first entry that matches names the rule. */
const TABLE: { readonly [fn: string]: readonly Entry[] } = {
  map: [
    ['MAP-12', (c, r) => c.difference.aspect === 'result' && role(c.call) === 'client' && failed(r)],
    ['MAP-04', (c, r) => c.difference.aspect === 'result' && /DEVICE_BUSY/.test(r)],
    ['MAP-11', (c, r) => c.difference.aspect === 'result' && c.call.fn === 'map' && (c.call.flags & ~1) !== 0 && failed(r)],
    ['MAP-01', (c, r) => c.difference.aspect === 'result' && /ACCESS_DENIED/.test(r)],
    ['MAP-08', (c, r) => c.difference.aspect === 'result' && failed(r) && c.call.fn === 'map' && !('name' in c.call.gpadl && createOf(c, c.call.gpadl.name) !== undefined)],
    // A delete still waiting (for this map's own unmap elsewhere): MAP-10; a delete that completed leaves no GPADL (MAP-08).
    ['MAP-10', (c, r) => c.difference.aspect === 'result' && failed(r) && c.before.some((s) => s.call.fn === 'delete' && gpadlName(s.call) === gpadlName(c.call) && s.reference.some((o) => o.aspect === 'result' && /pending/.test(o.text)))],
    ['MAP-08', (c, r) => c.difference.aspect === 'result' && failed(r)],
    ['MAP-07', (c, r) => c.difference.aspect === 'result' && succeeded(r) && everUnmapped(c, gpadlName(c.call))],
    ['MAP-03', (c, r) => c.difference.aspect === 'result' && succeeded(r) && c.call.fn === 'map' && c.call.flags === 1 && (createOf(c, gpadlName(c.call) ?? '')?.flags ?? 0) === 1],
    ['MAP-16', (c, r) => c.difference.aspect === 'result' && succeeded(r) && c.call.fn === 'map' && c.call.flags === 1],
    ['CREATE-03', (c, r) => c.difference.aspect === 'result' && succeeded(r) && createOf(c, gpadlName(c.call) ?? '')?.fn === 'createFromMdl'],
    ['CREATE-02', (c, r) => c.difference.aspect === 'result' && succeeded(r)],
    ['MAP-14', (c) => c.difference.aspect === 'mdl'],
  ],
  systemVa: [
    ['UNMAP-07', (c, r) => c.difference.aspect === 'result' && failed(r) && c.call.fn === 'systemVa' && 'mappingOf' in c.call.mdl && everUnmapped(c, c.call.mdl.mappingOf)],
    ['MAP-15', () => true],
  ],
  readMdl: [
    ['UNMAP-06', (c, r) => failed(r) && c.call.fn === 'readMdl' && 'mappingOf' in c.call.mdl && everUnmapped(c, c.call.mdl.mappingOf)],
    ['MEM-06', (_, r) => failed(r)],
    ['MEM-01', () => true],
  ],
  writeMdl: [
    ['UNMAP-06', (c, r) => failed(r) && c.call.fn === 'writeMdl' && 'mappingOf' in c.call.mdl && everUnmapped(c, c.call.mdl.mappingOf)],
    ['MEM-03', (c) => c.before.some((s) => s.call.fn === 'map' && s.call.flags === 1)],
    ['MEM-02', () => true],
  ],
  readBuffer: [
    ['MEM-03', (c) => c.before.some((s) => s.call.fn === 'map' && s.call.flags === 1 && c.before.some((w) => w.call.fn === 'writeMdl'))],
    ['MEM-02', (c) => c.before.some((s) => s.call.fn === 'writeMdl')],
  ],
  createFromBuffer: [
    ['CREATE-04', (c, r) => c.difference.aspect === 'result' && /^(STATUS_PENDING|pending)/.test(r)],
    ['CREATE-12', (c, r) => c.difference.aspect === 'result' && role(c.call) === 'server' && failed(r)],
    ['CREATE-06', (c, r) => c.difference.aspect === 'result' && 'flags' in c.call && (c.call.flags & ~1) !== 0 && failed(r)],
    ['CREATE-08', (c, r) => c.difference.aspect === 'result' && /INVALID_PARAMETER/.test(r)],
    ['CHAN-06', (c, r) => c.difference.aspect === 'result' && failed(r) && / (client) Disabled/.test(stateBefore(c)) && !c.before.some((s) => s.call.fn === 'disable')],
    ['CHAN-15', (c, r) => c.difference.aspect === 'result' && /INVALID_DEVICE_STATE/.test(r)],
    ['CREATE-10', (c) => c.difference.aspect === 'result' && / the handle of /.test(c.difference.implementation)],
    ['CREATE-01', (c, r) => c.difference.aspect === 'result' && succeeded(r)],
    ['WIRE-12', (c, r) => c.difference.aspect === 'result' && failed(r)],
  ],
  createFromMdl: [
    ['CREATE-12', (c, r) => c.difference.aspect === 'result' && role(c.call) === 'server' && failed(r)],
    ['CREATE-18', (c, r) => c.difference.aspect === 'result' && /INVALID_PARAMETER/.test(r)],
    ['CREATE-10', (c) => c.difference.aspect === 'result' && / the handle of /.test(c.difference.implementation)],
    ['CREATE-15', (c) => c.difference.aspect === 'mdl' || c.difference.aspect === 'wire'],
  ],
  delete: [
    ['DELETE-08', (c) => role(c.call) === 'server'],
    ['DELETE-02', (c, r) => c.difference.aspect === 'result' && /pending/.test(r)],
    ['DELETE-01', (c, r) => c.difference.aspect === 'result' && /completed/.test(r)],
    ['DELETE-05', (c) => c.difference.aspect === 'violations'],
  ],
  unmap: [
    ['UNMAP-01', (c) => role(c.call) === 'client' && c.difference.aspect !== 'violations'],
    ['UNMAP-02', (c) => role(c.call) === 'client'],
    ['UNMAP-04', (c) => c.difference.aspect === 'violations'],
    ['DELETE-02', (c) => c.difference.aspect === 'operations'],
  ],
  enable: [
    ['WIRE-15', (c) => c.before.some((s) => s.call.fn === 'hostDirect' && s.call.directive === 'refuseOpen')],
    ['CHAN-05', (c) => c.difference.aspect === 'endpoints' && role(c.call) === 'client' && c.before.some((s) => s.call.fn === 'disable' && role(s.call) === 'server')],
    ['CHAN-02', (c) => c.difference.aspect === 'endpoints' && role(c.call) === 'server'],
    ['CHAN-09', (_, r) => failed(r)],
    ['CHAN-13', (c) => c.before.some((s) => s.call.fn === 'disable')],
    ['CHAN-03', () => true],
  ],
  disable: [
    ['CHAN-11', (c) => c.difference.aspect === 'endpoints' && role(c.call) === 'client'],
    ['CHAN-12', (c) => role(c.call) === 'server'],
    ['CHAN-10', () => true],
  ],
  cleanup: [
    ['CHAN-24', (c) => c.difference.aspect === 'locks' || c.difference.aspect === 'wire'],
    // Cleanup of an endpoint that is not Disabled (CHAN-20), or of one that is (CHAN-21).
    ['CHAN-20', (c) => c.difference.aspect === 'endpoints' && !/ \w+ (client|server) Disabled/.test(stateBefore(c))],
    ['CHAN-21', () => true],
  ],
  hostAnswer: [['WIRE-13', () => true]],
  hostDirect: [['WIRE-12', () => true]],
  migrationBegin: [['MIG-06', () => true]],
  migrationFinish: [
    ['MIG-06', (_, r) => failed(r)],
    // A page the snapshot missed that only one side reports: the hazard of a write through a read-only mapping.
    ['MIG-05', (c, r) => / missed (?!\(none\))/.test(r) !== / missed (?!\(none\))/.test(c.difference.implementation)],
    // A page the guest wrote after the begin must be copied again.
    ['MIG-04', (c) => c.before.slice(c.before.map((s) => s.call.fn).lastIndexOf('migrationBegin')).some((s) => s.call.fn === 'writeBuffer')],
    ['MIG-01', () => true],
  ],
  readSnapshot: [['MIG-02', () => true]],
  wireOffer: [['WHOST-29', () => true]],
  wireRelease: [['WHOST-09', () => true]],
  wireHold: [['WHOST-09', () => true]],
  wireRevoke: [['WHOST-28', (_, r) => !/GPADL_CREATED|GPADL_TORNDOWN/.test(r)], ['WHOST-18', () => true]],
  wireSend: [
    ['WHOST-02', (c) => c.call.fn === 'wireSend' && /, (cut to|with byte)/.test(c.call.message)],
    ['WHOST-02', (c) => c.call.fn === 'wireSend' && /^GPADL_HEADER .* from byte (\d+)$/.exec(c.call.message) !== null && Number(/from byte (\d+)$/.exec(c.call.message)![1]) >= 4096],
    ['WHOST-10', (c) => c.call.fn === 'wireSend' && /^GPADL_HEADER .* with 0 pages/.test(c.call.message)],
    ['WHOST-09', (c) => c.call.fn === 'wireSend' && /^GPADL_TEARDOWN for GPADL (0x\w+)/.exec(c.call.message) !== null && c.before.some((s) => s.call.fn === 'wireHold' && `0x${s.call.gpadl.toString(16)}` === /GPADL (0x\w+)/.exec((c.call as { message: string }).message)![1])],
    ['WHOST-07', (c) => c.call.fn === 'wireSend' && /^(GPADL_TEARDOWN|the next GPADL_BODY) for GPADL (0x\w+)/.test(c.call.message) && !c.before.some((s) => s.call.fn === 'wireSend' && s.call.message.startsWith(`GPADL_HEADER for GPADL ${/GPADL (0x\w+)/.exec((c.call as { message: string }).message)![1]} `))],
    ['WHOST-08', (c) => c.call.fn === 'wireSend' && /^GPADL_TEARDOWN/.test(c.call.message)],
    ['WHOST-16', (c) => c.call.fn === 'wireSend' && /^GPADL_TEARDOWN/.test(c.call.message) && c.before.some((s) => s.call.fn === 'wireRevoke')],
    ...(
      [
        ['GPADL_HEADER', 'WHOST-01'],
        ['the next GPADL_BODY', 'WHOST-01'],
        ['GPADL_TEARDOWN', 'WHOST-09'],
        ['OPENCHANNEL', 'WHOST-13'],
        ['CLOSECHANNEL', 'WHOST-14'],
        ['RELID_RELEASED', 'WHOST-19'],
        ['UNLOAD', 'WHOST-22'],
        ['INITIATE_CONTACT', 'WHOST-24'],
        ['REQUESTOFFERS', 'WHOST-25'],
      ] as const
    ).map(([start, rule]): Entry => [rule, (c) => c.call.fn === 'wireSend' && c.call.message.startsWith(start)]),
  ],
};

/** Whatever the call, an aspect that only these rules judge. */
const BY_ASPECT: { readonly [aspect: string]: string } = {
  locks: 'MEM-04',
  operations: 'DELETE-02',
  endpoints: 'CHAN-11',
};

/**
 * A difference on the wire, by the first line that differs: the message it shows (or the return
 * of a call that waits for the host) and the field, when the two lines show the same message.
 */
function wireRule(difference: Difference, before: readonly RecordedStep[]): string | undefined {
  const ours = difference.reference.split('\n');
  const theirs = difference.implementation.split('\n');
  let i = 0;
  while (i < ours.length && ours[i] === theirs[i]) i++;
  const [r = '', m = ''] = [ours[i], theirs[i]];
  const isMessage = (line: string) => /^(guest-to-host|host-to-guest) /.test(line);
  const what = (line: string) => line.split(' ')[1] ?? '';
  // A message one side sent and the other never did names the rule; a message both sent, on either
  // side of a return, means the return moved: the call that returned names it.
  const moved = (message: string, other: string[]) => isMessage(message) && other.includes(message);
  const type =
    isMessage(r) && isMessage(m) ? what(r)
    : moved(r, theirs) || moved(m, ours) ? (isMessage(r) ? what(m) : what(r))
    : isMessage(r) ? what(r)
    : isMessage(m) ? what(m)
    : what(r) || what(m);
  if (/CreateGpadl/.test(type) || type === 'GPADL_CREATED') return 'CREATE-04';
  if (/DeleteGpadl/.test(type) || type === 'GPADL_TORNDOWN') return 'DELETE-03';
  if (/VmbChannelEnable/.test(type) || type === 'OPENCHANNEL_RESULT') return 'CHAN-03';
  // The same message with fewer fields: the trace recorded it without its bytes.
  if (r !== m && what(r) === what(m) && m.split(' ').length < r.split(' ').length) return 'WIRE-07';
  const field = (line: string, name: string) => new RegExp(`\\b${name}=(\\S+)`).exec(line)?.[1];
  switch (type) {
    case 'GPADL_HEADER':
      if (what(m) !== type) return 'WIRE-01';
      if (field(r, 'rangeBufLen') !== field(m, 'rangeBufLen')) return 'WIRE-04';
      return field(r, 'ranges') !== field(m, 'ranges') ? 'WIRE-03' : 'WIRE-05';
    case 'GPADL_BODY':
      return field(r, 'msgNumber') !== field(m, 'msgNumber') ? 'CREATE-19' : what(m) !== type ? 'WIRE-01' : 'WIRE-03';
    case 'OPENCHANNEL':
      return field(r, 'openId') !== field(m, 'openId') ? 'WIRE-20' : field(r, 'downstreamRingBufferPageOffset') !== field(m, 'downstreamRingBufferPageOffset') ? 'WIRE-09' : 'WIRE-08';
    case 'RELID_RELEASED':
      return 'WIRE-10';
    case 'GPADL_TEARDOWN':
      // After a rescind the client's deletes complete without the host (CHAN-19); else a teardown of what is no GPADL.
      return before.some((s) => s.call.fn === 'disable' && 'ep' in s.call && 'role' in s.call.ep && s.call.ep.role === 'server') ? 'CHAN-19' : 'DELETE-05';
    case 'CLOSECHANNEL':
      return 'CHAN-10';
    default:
      return undefined;
  }
}

export function ruleFor(call: Call | undefined, difference: Difference, before: readonly RecordedStep[]): string | undefined {
  if (difference.aspect === 'threw') return undefined;
  if (difference.aspect === 'wire') return wireRule(difference, before);
  // Before any call: the states of endpoints just allocated, offered and opened.
  if (call === undefined) return difference.aspect === 'endpoints' ? 'CHAN-01' : undefined;
  const ctx: Context = { call, difference, before };
  for (const [rule, when] of TABLE[call.fn] ?? []) if (when(ctx, difference.reference, difference.implementation)) return rule;
  return BY_ASPECT[difference.aspect];
}
