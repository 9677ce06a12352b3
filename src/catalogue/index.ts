export * from './catalogue.js';
export * from './spec.js';
