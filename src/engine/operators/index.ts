/**
 * The built-in operators of the dynamics F (SPEC 6), by the names a model
 * uses. Firmware adds its own with `{ ...builtinOperators, mine: createMine }`
 * (see `OperatorTable` in ../operator.ts). `admm` (SPEC 7) lives in src/admm/.
 */
import { createAdmmOperator } from '../../admm/operator.js';
import type { OperatorTable } from '../operator.js';
import { createAnisotropyOperator } from './anisotropy.js';
import { createDriftOperator } from './drift.js';
import { createGyroidOperator } from './gyroid.js';
import { createLinearOperator } from './linear.js';
import { createTraversalOperator } from './traversal.js';

export { createAnisotropyOperator } from './anisotropy.js';
export { createDriftOperator } from './drift.js';
export { chiralRotate, createGyroidOperator, gyroidField } from './gyroid.js';
export { createLinearOperator } from './linear.js';
export { createTraversalOperator, TRAVERSAL_FIX_PASSES, TRAVERSAL_PASSES, TRAVERSAL_SOLVE_MAX } from './traversal.js';

/** Name -> factory for every built-in operator. Frozen: module scope is flash on a board. */
export const builtinOperators: OperatorTable = Object.freeze({
  linear: createLinearOperator,
  drift: createDriftOperator,
  gyroid: createGyroidOperator,
  anisotropy: createAnisotropyOperator,
  traversal: createTraversalOperator,
  admm: createAdmmOperator,
});
