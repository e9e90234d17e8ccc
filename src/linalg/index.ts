export * from './matvec.js';
export * from './wide.js';
