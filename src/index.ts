/**
 * The public entry of the `vmbus-conformance` package (`import … from 'vmbus-conformance'`): the
 * implementation contract a `module:` implementation is written against. Its default export is an
 * {@link ImplementationFactory} (`{ info, start() }`), whose `start()` returns a
 * {@link VmbusImplementation}; a program serving halves implements {@link GuestHalf} and
 * {@link HostHalf} (docs/halves.md). The NTSTATUS values, handle constructors, GPADL flags and
 * violation kinds are values as well as types, so an implementation uses the same ones the suite
 * checks against.
 *
 * Everything else in the package (the CLI, the reference model, the reports) is reached through
 * the `vmbus-conformance` command, not through imports.
 */
export * from './contract/index.js';
export type * from './contract/halves.js';
export { HALF_NAMES } from './contract/halves.js';
