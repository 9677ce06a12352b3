export * from './types.js';
export * from './ndjson.js';
export * from './verdict.js';
export * from './build.js';
export * from './markdown.js';
export * from './formats.js';
export * from './harness.js';
