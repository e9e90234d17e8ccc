export * from './window.js';
export * from './polytope.js';
export * from './work.js';
export * from './project.js';
export * from './quantize.js';
