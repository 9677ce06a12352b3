/**
 * `faulty:guestTracesNoBytes`. Not a protocol lie but a difference of choice: the implementation
 * traces channel messages as values only, without their bytes, as the contract allows.
 *
 * Must be caught by WIRE-07 only (a reference rule); the byte-level rules WIRE-05 and WIRE-06
 * check only messages that carry bytes, so they pass without measuring anything.
 */
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WIRE-07'] as const;
/** As a guest half the harness traces the bytes that crossed, so a trace without bytes loses nothing (docs/halves.md). */
export const catchesAsGuest = [] as const;

export default faulty('guestTracesNoBytes', 'the trace carries no message bytes', catches, (options) => new ReferenceVmbus({ wireBytes: false, ...options }), { guest: catchesAsGuest });
