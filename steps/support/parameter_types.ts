/**
 * Parameter types that let features say what the docs say: the names a scenario gives, NTSTATUS
 * names, GPADL flags by value or by their KMCL names, handles in hex, byte values, violation kinds,
 * endpoint roles and states.
 * An unknown name is a mistake in the feature, so the transformer throws (an error, not a failure).
 */
import { defineParameterType } from '@cucumber/cucumber';
import { isViolationKind, parseGpadlFlags, statusByName, type EndpointState, type GpadlFlags, type NtStatus, type Role, type ViolationKind } from '../../src/contract/index.js';
import { CALL_KINDS, type CallKind } from './world.js';

/**
 * A name the scenario gives what it creates (a channel, a buffer, an MDL, a GPADL), in double
 * quotes: `"G"`. Not Cucumber's `{string}`: its pattern (either quote, escapes, five groups) makes
 * every step that uses it cost Cucumber several times more to match, and a name needs none of it;
 * `{string}` stays for the steps that quote free text.
 */
defineParameterType({
  name: 'name',
  regexp: /"[^"]*"/,
  transformer: (quoted: string): string => quoted.slice(1, -1),
});

defineParameterType({
  name: 'status',
  regexp: /STATUS_[A-Z0-9_]+/,
  transformer(name: string): NtStatus {
    const status = statusByName(name);
    if (status === undefined) throw new Error(`unknown NTSTATUS name ${name}`);
    return status;
  },
});

const FLAG_TERM = String.raw`(?:0x[0-9A-Fa-f]+|\d+|VMBUS_[A-Z_]+)`;
defineParameterType({
  name: 'flags',
  regexp: new RegExp(`${FLAG_TERM}(?:\\s*\\|\\s*${FLAG_TERM})*`),
  transformer(text: string): GpadlFlags {
    const flags = parseGpadlFlags(text);
    if (flags === undefined) throw new Error(`unknown GPADL flags ${text}: use a number or VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY`);
    return flags;
  },
});

defineParameterType({
  name: 'handle',
  regexp: /0x[0-9A-Fa-f]+/,
  transformer: (text: string): number => Number(text),
});

defineParameterType({
  name: 'octet',
  regexp: /0x[0-9A-Fa-f]{2}/,
  transformer: (text: string): number => Number(text),
});

defineParameterType({
  name: 'violation',
  regexp: /[A-Z][A-Za-z]+/,
  transformer(text: string): ViolationKind {
    if (!isViolationKind(text)) throw new Error(`unknown violation kind ${text}`);
    return text;
  },
});

defineParameterType({
  name: 'role',
  regexp: /client|server/,
  transformer: (text: string): Role => text as Role,
});

defineParameterType({
  name: 'state',
  regexp: /Disabled|Enabled|Opened|Closed/,
  transformer: (text: string): EndpointState => text as EndpointState,
});

defineParameterType({
  name: 'call',
  regexp: new RegExp(CALL_KINDS.join('|')),
  transformer: (text: string): CallKind => text as CallKind,
});
