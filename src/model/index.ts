// Model images (SPEC 12): format constants, the loader, the fossil record.
export * from './format.js';
export * from './loader.js';
export * from './fossil-record.js';
