export * from './q.js';
export { mul, mulShift } from './mul.js';
export { abs, add, clamp, fromInt, max, min, neg, sub, toIntRound } from './arith.js';
export { shl, shr } from './shift.js';
export { div, divRound, mulDiv } from './div.js';
export { isqrt, sqrt } from './sqrt.js';
