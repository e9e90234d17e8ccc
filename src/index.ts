// The core's public surface: everything a device app or a host tool imports.
export * from './fixed/index.js';
export * from './wire/index.js';
export * from './index/index.js';
export * from './caq/index.js';
export * from './geometry/index.js';
export * from './linalg/index.js';
export * from './engine/index.js';
export * from './model/index.js';
export * from './admm/index.js';
export * from './tensor/index.js';
