import { InternalError } from './InternalError.js';

/** Ends an exhaustive switch: a new union member makes `tsc` fail here until someone handles it. */
export function assertNever(value: never): never {
  throw new InternalError(`unhandled case: ${JSON.stringify(value)}`);
}
