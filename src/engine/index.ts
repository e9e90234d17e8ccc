export * from './codes.js';
export * from './model.js';
export * from './operator.js';
export * from './boundary.js';
export * from './gates.js';
export * from './operators/index.js';
export * from './engine.js';
export { checkModel, MODEL_N_MAX, MODEL_M_MAX, MODEL_HISTORY_MAX } from './validate.js';
