export * from './problem.js';
export * from './workspace.js';
export * from './solve.js';
export * from './operator.js';
