export type { ExpectationEntry, ExpectationsFile, LoadedExpectations } from './types.js';
export { TODO_REASON, describeTarget, isTodoReason } from './types.js';
export { ExpectationsFileError, expectationsSchemaPath, loadExpectations, validateExpectations } from './load.js';
export { resolveEntries, type Resolution, type ResolvedEntry } from './resolve.js';
export { applyExpectations, judge } from './apply.js';
export { renderExpectationsFile, updateExpectations, type ExpectationsUpdate } from './update.js';
export { assignExpectations, type Assignment, type ImplementationIdentity } from './assign.js';
