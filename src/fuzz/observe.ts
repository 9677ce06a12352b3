/**
 * What the fuzzer compares, as text: a call's result, an MDL, bytes, the violations recorded and
 * the channel messages on the wire, each shown with the names a scenario gives to what it made
 * (GPADL "G1", the ring-buffer GPADL of channel "ch1", page 0 of buffer "A") instead of the values
 * an implementation chose. Two implementations agree on a step when these texts are equal.
 *
 * The same functions serve the steps the fuzzer prints (steps/explicit_steps.ts), so a printed
 * scenario asserts exactly what the fuzzer compared: it fails against the implementation where the
 * fuzzer saw the difference, and passes against the reference.
 *
 * The `normative` view leaves out what the README's Choices decide (the exact failure NTSTATUS, the
 * kind of a violation, message fields the docs leave to the implementation such as OPENCHANNEL's
 * openid or an offer's instance GUID); `strict` shows them. Handles are compared by identity in both
 * (which earlier return they equal), never by value: their values are choice G14, which the suite's
 * own rules judge.
 */
import { hex, type ContractViolation, type MdlDescription, type NtStatus, type TraceEvent } from '../contract/index.js';
import { formatStatus, ntSuccess, STATUS_PENDING } from '../contract/NtStatus.js';
import { decodeMessage } from '../protocol/codec.js';
import type { ChannelMessage } from '../protocol/messages.js';
import { decodeRanges } from '../protocol/ranges.js';

export type Strictness = 'strict' | 'normative';

/** Names for the values an implementation chose; undefined for one the scenario never named. */
export interface Names {
  gpadl(handle: number): string | undefined;
  channel(id: number): string | undefined;
  page(pfn: number): string | undefined;
}

/** Each status's strict text, made once: every call's result shows one. Bounded, as an implementation may return any number. */
const STRICT_STATUS = new Map<NtStatus, string>();
const STRICT_STATUS_KEPT = 4096;

/** STATUS_X in strict; in normative only what the docs fix: success, pending, or failure. */
export function showStatus(status: NtStatus, strictness: Strictness): string {
  if (strictness === 'strict') {
    let shown = STRICT_STATUS.get(status);
    if (shown !== undefined) return shown;
    shown = formatStatus(status).replace(/ \(0x[0-9A-F]+\)$/, '');
    if (STRICT_STATUS.size < STRICT_STATUS_KEPT) STRICT_STATUS.set(status, shown);
    return shown;
  }
  return status === STATUS_PENDING ? 'pending' : ntSuccess(status) ? 'success' : 'failure';
}

export const showGpadl = (names: Names, handle: number): string => names.gpadl(handle) ?? `unnamed ${hex(handle)}`;
const showChannel = (names: Names, id: number): string => names.channel(id) ?? `unnamed channel ${id}`;
const showPage = (names: Names, pfn: number): string => names.page(pfn) ?? `page ${hex(pfn)}`;

/** An MDL chain as map returned it: where each MDL starts, how long it is, its pages, its system VA. */
export function showMdl(chain: readonly MdlDescription[], names: Names): string {
  return chain
    .map((mdl, i) => `MDL ${i + 1}: ${mdl.byteCount} bytes from byte ${mdl.byteOffset} of pages ${mdl.pfns.map((p) => showPage(names, p)).join(' ') || '(none)'}${mdl.systemVa ? ', system VA' : ''}`)
    .join('\n');
}

/** Bytes as runs, `12×00 3×ff`: short for the long uniform stretches that reads return. */
export function showBytes(data: Uint8Array): string {
  const runs: string[] = [];
  for (let i = 0; i < data.length; ) {
    let j = i;
    while (j < data.length && data[j] === data[i]) j++;
    runs.push(`${j - i}×${data[i]!.toString(16).padStart(2, '0')}`);
    i = j;
  }
  return runs.join(' ') || '(none)';
}

/** One violation: its kind, the function, and the GPADL it names. */
export const showViolation = (v: ContractViolation, names: Names): string => `${v.kind} in ${v.fn}${v.gpadl === undefined ? '' : ` for ${showGpadl(names, v.gpadl)}`}`;

/** Violations (shown with {@link showViolation}), sorted: in strict each of them; in normative only whether there were any. */
export function showViolations(shown: readonly string[], strictness: Strictness): string {
  if (shown.length === 0) return 'none';
  return strictness === 'normative' ? 'some' : [...shown].sort().join('; ');
}

/** Fields the docs leave to the implementation: shown only in strict. */
const CHOSEN_FIELDS = new Set(['openId', 'interfaceInstance', 'interfaceType', 'monitorId', 'monitorAllocated', 'connectionId', 'msgConnId', 'isDedicatedInterrupt', 'channelFlags', 'mmioMegabytes', 'userDefined', 'userData', 'targetVp', 'subChannelIndex']);
const STATUS_FIELDS = new Set(['creationStatus', 'status']);

/** One channel message: its type, then its fields, handles and pages named. */
export function showMessage(direction: string, message: ChannelMessage, names: Names, strictness: Strictness): string {
  const parts = [direction, message.type];
  const fields = message as unknown as Readonly<Record<string, unknown>>;
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'type' || (strictness === 'normative' && CHOSEN_FIELDS.has(field))) continue;
    if (field === 'rangeData') {
      parts.push(`ranges=${showRangeData(message, value as Uint8Array, names)}`);
    } else if (field === 'gpadl' || field === 'ringBufferGpadlHandle') {
      parts.push(`${field}=${showGpadl(names, value as number)}`);
    } else if (field === 'childRelid') {
      parts.push(`${field}=${showChannel(names, value as number)}`);
    } else if (STATUS_FIELDS.has(field) && strictness === 'normative') {
      parts.push(`${field}=${(value as number) === 0 ? 'success' : 'failure'}`);
    } else if (value instanceof Uint8Array) {
      parts.push(`${field}=${Buffer.from(value).toString('hex')}`);
    } else {
      parts.push(`${field}=${String(value)}`);
    }
  }
  return parts.join(' ');
}

/** A GPADL_HEADER's ranges (`100@12:A.0,A.1`), or a GPADL_BODY's page numbers, pages named. */
function showRangeData(message: ChannelMessage, data: Uint8Array, names: Names): string {
  if (message.type === 'GPADL_HEADER') {
    // The header may carry only the start of the range buffer; what follows is in GPADL_BODY.
    const words = Math.floor(data.length / 8);
    const decoded = decodeRanges(data.subarray(0, words * 8), message.rangeCount);
    if (decoded.ok) return decoded.ranges.map((r) => `${r.byteCount}@${r.byteOffset}:${Array.from(r.pfns, (p) => showPage(names, p)).join(',')}`).join(';');
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const words: string[] = [];
  for (let at = 0; at + 8 <= data.length; at += 8) words.push(showPage(names, Number(view.getBigUint64(at, true))));
  return words.join(',');
}

/** Calls that wait for the host: where their return falls among the messages is what CREATE-04, DELETE-03 and CHAN-03 judge. */
const WAITING_CALL = /^VmbChannel(CreateGpadlFrom(Buffer|Mdl)|DeleteGpadl|Enable)$/;

/**
 * The channel messages among trace events (from index `from` on), decoded from their bytes where
 * they carry them, as lines; with them the returns (and later completions) of the calls that wait
 * for the host.
 */
export function showWire(events: readonly TraceEvent[], names: Names, strictness: Strictness, from = 0): string[] {
  const lines: string[] = [];
  for (let i = from; i < events.length; i++) {
    const event = events[i]!;
    if ((event.kind === 'return' || event.kind === 'completed') && WAITING_CALL.test(event.fn)) lines.push(`${event.kind === 'return' ? 'returned' : 'completed'} ${event.fn}`);
    if (event.kind !== 'message') continue;
    const decoded = event.bytes === undefined ? undefined : decodeMessage(event.bytes);
    const message = decoded?.ok === true ? decoded.message : event.message;
    lines.push(showMessage(event.direction, message, names, strictness));
  }
  return lines;
}
