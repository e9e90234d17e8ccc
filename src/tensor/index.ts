// Higher-order terms (SPEC 11): packed lattice finite differences, look-ahead, boundary terms.
export * from './work.js';
export * from './differences.js';
export * from './lookahead.js';
