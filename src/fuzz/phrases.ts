/**
 * The sentence of every call, declared once: the printer writes a call with it and the step
 * definitions (steps/explicit_steps.ts) read the same sentence back into the same call. Each
 * sentence is a template whose slots (`{ep}`, `{gpadl}`, `{int:byteCount}` ...) give both the
 * regular expression that reads it and the text that prints it; the calls are named after the KMCL
 * functions they exercise, so that they never collide with the suite's other steps.
 */
import { hex } from '../contract/handles.js';
import { gpadlOfKey, ringKey, type Call, type CallFn, type EndpointRef, type GpadlRef, type MdlRef, type PartRef } from './calls.js';

const mdlOfGpadl = (g: { readonly name: string } | { readonly ring: string }): string => ('ring' in g ? `the MDL of the ring-buffer GPADL of channel "${g.ring}"` : `the MDL of "${g.name}"`);

interface Slot<T> {
  readonly pattern: string;
  read(groups: readonly string[]): T;
  print(value: T): string;
  /** How many capture groups the pattern has. */
  readonly groups: number;
}

const q = '"([^"]*)"';
// Not the source of the suite's {handle} parameter type, which Cucumber would apply to the group
// (turning a group that did not take part into NaN).
const HEX = '(0x[0-9a-fA-F]+)';
/** A group that took part in the match: Cucumber gives null or undefined for one that did not. */
const took = (group: string | undefined): group is string => group !== undefined && group !== null;
const slots = {
  ep: {
    pattern: `(?:the (client|server) of channel ${q}|endpoint handle ${HEX})`,
    groups: 3,
    read: ([role, channel, handle]) => (took(handle) ? { handle: Number(handle) } : { role: role as 'client' | 'server', channel: channel! }),
    print: (ep) => ('handle' in ep ? `endpoint handle ${hex(ep.handle)}` : `the ${ep.role} of channel "${ep.channel}"`),
  } satisfies Slot<EndpointRef>,
  gpadl: {
    pattern: `(?:${q}|the ring-buffer GPADL of channel ${q}|GPADL handle ${HEX})`,
    groups: 3,
    read: ([name, ring, handle]) => (took(handle) ? { handle: Number(handle) } : took(ring) ? { ring } : { name: name! }),
    print: (g) => ('handle' in g ? `GPADL handle ${hex(g.handle)}` : 'ring' in g ? `the ring-buffer GPADL of channel "${g.ring}"` : `"${g.name}"`),
  } satisfies Slot<GpadlRef>,
  mdl: {
    pattern: `(?:MDL ${q}|the MDL of the ring-buffer GPADL of channel ${q}|the MDL of ${q}|MDL handle ${HEX})`,
    groups: 4,
    read: ([built, ring, mapped, handle]) =>
      took(handle) ? { handle: Number(handle) } : took(built) ? { built } : { mappingOf: took(ring) ? ringKey(ring) : mapped! },
    print: (m) =>
      'handle' in m ? `MDL handle ${hex(m.handle)}` : 'built' in m ? `MDL "${m.built}"` : mdlOfGpadl(gpadlOfKey(m.mappingOf)),
  } satisfies Slot<MdlRef>,
  name: { pattern: q, groups: 1, read: ([s]) => s!, print: (s) => `"${s}"` } satisfies Slot<string>,
  int: { pattern: '(\\d+)', groups: 1, read: ([s]) => Number(s), print: (n) => String(n) } satisfies Slot<number>,
  hex: { pattern: HEX, groups: 1, read: ([s]) => Number(s), print: (n) => `0x${n.toString(16)}` } satisfies Slot<number>,
  word: { pattern: '([A-Za-z]+)', groups: 1, read: ([s]) => s!, print: (s) => s } satisfies Slot<string>,
  parts: {
    pattern: '((?:"[^"]*" from byte \\d+ for \\d+ bytes(?:, )?)+)',
    groups: 1,
    read: ([text]) => [...text!.matchAll(/"([^"]*)" from byte (\d+) for (\d+) bytes/g)].map((m) => ({ buffer: m[1]!, byteOffset: Number(m[2]), byteCount: Number(m[3]) })),
    print: (parts) => parts.map((p) => `"${p.buffer}" from byte ${p.byteOffset} for ${p.byteCount} bytes`).join(', '),
  } satisfies Slot<readonly PartRef[]>,
} as const;
type SlotName = keyof typeof slots;

/** One sentence per call, its slots written `{slot:field}` (`{ep}` is `{ep:ep}`). */
const SENTENCES: { readonly [F in CallFn]: string } = {
  createFromBuffer: '{ep} calls VmbChannelCreateGpadlFromBuffer for GPADL {name:name} over {int:byteCount} bytes of buffer {name:buffer} with flags {hex:flags}',
  createFromMdl: '{ep} calls VmbChannelCreateGpadlFromMdl for GPADL {name:name} over {mdl} from byte {int:start} for {int:length} bytes with flags {hex:flags}',
  buildMdl: 'the client builds MDL chain {name:name} over {parts}',
  delete: '{ep} calls VmbChannelDeleteGpadl on {gpadl}',
  map: '{ep} calls VmbChannelMapGpadl on {gpadl} with flags {hex:flags}',
  unmap: '{ep} calls VmbChannelUnmapGpadl on {gpadl}',
  systemVa: 'the server calls MmGetSystemAddressForMdlSafe on {mdl}',
  writeMdl: 'the server writes {int:length} bytes of {hex:byte} at byte {int:offset} of {mdl}',
  readMdl: 'the server reads {int:length} bytes at byte {int:offset} of {mdl}',
  writeBuffer: 'the client writes {int:length} bytes of {hex:byte} at byte {int:offset} of buffer {name:buffer}',
  readBuffer: 'the client reads {int:length} bytes at byte {int:offset} of buffer {name:buffer}',
  readSnapshot: 'the snapshot is read for {int:length} bytes at byte {int:offset} of buffer {name:buffer}',
  enable: '{ep} calls VmbChannelEnable',
  disable: '{ep} calls VmbChannelDisable',
  cleanup: '{ep} calls VmbChannelCleanup',
  ringPages: '{ep} calls VmbClientChannelInitSetRingBufferPageCount for {int:incoming} incoming and {int:outgoing} outgoing pages',
  hostDirect: 'the host of channel {name:channel} is directed to {word:directive}',
  hostAnswer: 'the host of channel {name:channel} sends the GPADL_CREATED it held back',
  migrationBegin: 'a pre-copy migration is begun',
  migrationFinish: 'the pre-copy migration is finished',
  wireOffer: 'the host offers a channel on the wire',
  wireSend: 'the guest sends {name:message} on the wire',
  wireHold: 'a device on the host holds GPADL {hex:gpadl} of wire channel {name:channel}',
  wireRelease: 'a device on the host releases GPADL {hex:gpadl} of wire channel {name:channel}',
  wireRevoke: 'the host revokes wire channel {name:channel}',
};

interface Compiled {
  readonly fn: CallFn;
  readonly regexp: RegExp;
  readonly fields: ReadonlyArray<{ readonly slot: SlotName; readonly field: string }>;
}

const SLOT = /\{(\w+)(?::(\w+))?\}/g;
const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

function compile(fn: CallFn, sentence: string): Compiled {
  const fields: Array<{ slot: SlotName; field: string }> = [];
  let source = '';
  let last = 0;
  for (const m of sentence.matchAll(SLOT)) {
    source += escape(sentence.slice(last, m.index));
    const slot = m[1] as SlotName;
    fields.push({ slot, field: m[2] ?? slot });
    source += slots[slot].pattern;
    last = m.index! + m[0].length;
  }
  source += escape(sentence.slice(last));
  return { fn, regexp: new RegExp(`^${source}$`), fields };
}

/** How many groups a regular expression captures: those of the empty alternative it is given. */
export const groupCount = (regexp: RegExp): number => new RegExp(`${regexp.source}|`).exec('')!.length - 1;

export const CALL_PHRASES: readonly Compiled[] = (Object.entries(SENTENCES) as Array<[CallFn, string]>).map(([fn, sentence]) => compile(fn, sentence));

/** The step text of a call. */
export function printCall(call: Call): string {
  const values = call as unknown as Readonly<Record<string, unknown>>;
  return SENTENCES[call.fn].replace(SLOT, (_, slot: SlotName, field?: string) => (slots[slot].print as (v: unknown) => string)(values[field ?? slot]));
}

/** The call a step text names; `groups` are the regular expression's captures, in order. */
export function readCall(phrase: Compiled, groups: readonly (string | undefined)[]): Call {
  const call: Record<string, unknown> = { fn: phrase.fn };
  let at = 0;
  for (const { slot, field } of phrase.fields) {
    const s = slots[slot] as Slot<unknown>;
    call[field] = s.read(groups.slice(at, at + s.groups) as string[]);
    at += s.groups;
  }
  return call as unknown as Call;
}
