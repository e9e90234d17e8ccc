export * from './state.js';
export * from './stats.js';
export * from './classes.js';
export * from './schedule.js';
export * from './fossil.js';
export * from './garden.js';
export * from './step.js';
