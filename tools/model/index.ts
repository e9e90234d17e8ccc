// The host side of models (SPEC 12): JSON format, conversion, proofs, image writer.
export * from './types.js';
export * from './issues.js';
export * from './check.js';
export * from './operators.js';
export * from './convert.js';
export * from './nesting.js';
export * from './image-writer.js';
export * from './compile.js';
