export * from './NtStatus.js';
export * from './handles.js';
export * from './flags.js';
export type * from './Implementation.js';
export { CAPABILITIES, CONTRACT_METHODS } from './Implementation.js';
export * from './violations.js';
export type * from './trace.js';
