/**
 * What the model compiler knows about each operator kind (SPEC 6): the unit
 * of each parameter (how a JSON number becomes an int32), and an optional
 * host-side precomputation whose results are stored in the image as extra
 * parameters, so that the board never computes them (SPEC 7: ADMM's
 * `K = (P + sigma I + rho C'C)^-1`).
 *
 * Parameters not listed for a kind, and every parameter of a kind not in
 * the table (a firmware operator), are Q values: a JSON number is a real
 * converted to Q f (RNE), `{ "q": int }` is raw. Validation of the values is
 * the engine's: the compiler builds each operator with its factory from the
 * operator table (`builtinOperators` by default) and reports the factory's
 * `operators[k].X: rule` message.
 *
 * ## The precomputation hook
 *
 * A kind's `precompute(ctx)` runs after its parameters are converted and
 * before the factory checks them. It returns parameters to add (raw int32
 * scalars, vectors or matrices), which are then part of the operator's
 * `ModelSpec` entry and of the image. It reports a problem by throwing an
 * Error whose message is `operators[k].X: rule` (use `ctx.path`). ADMM's
 * (`precomputeAdmm`, below) computes K with tools/admm/precompute.ts. A
 * firmware operator registers its own by passing
 * `{ operatorKinds: { ...OPERATOR_KINDS, mine: { units, precompute } } }`
 * to `modelFromJson` / `compileModel`.
 */
import type { ModelSpec } from '../../src/engine/model.js';
import { computeK } from '../admm/precompute.js';
import type { ParamValue } from './types.js';

/** How a JSON number of a parameter becomes an int32. */
export type ParamUnit =
  /** A real converted to Q f (RNE); `{ "q": int }` raw. */
  | 'q'
  /** A plain integer, as written (a count, an index). */
  | 'int'
  /** Turns converted to binary angle units (2^24 a turn, RNE); `{ "q": int }` raw. */
  | 'angle';

/** What `precompute` sees. */
export interface PrecomputeContext {
  /** State dimension. */
  readonly n: number;
  /** Fractional bits of the model's Q format. */
  readonly f: number;
  /** JSON path of the operator (`operators[2]`), for messages. */
  readonly path: string;
  /** The operator's parameters after conversion (raw int32). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The same parameters as written in the JSON (reals where written so). */
  readonly json: Readonly<Record<string, unknown>>;
  /** The converted model (operators before this one included). */
  readonly model: ModelSpec;
}

/** Returns parameters to add to the operator (raw int32, Q f where they are Q values). */
export type OperatorPrecompute = (ctx: PrecomputeContext) => Record<string, ParamValue>;

export interface OperatorKind {
  /** Units of the parameters that are not Q values (others default to 'q'). */
  readonly units: Readonly<Record<string, ParamUnit>>;
  /** Host precomputation (see the module comment). */
  readonly precompute?: OperatorPrecompute;
}

/**
 * ADMM (SPEC 7): `K = (P + sigma I + rho C'C)^-1` of the quantized P, C,
 * rho, sigma, computed on the host (tools/admm/precompute.ts) and stored in
 * Q `kShift` (the finest format in f..30 that K fits, unless the model gives
 * `kShift`). A model that writes K itself keeps it. Infinite bounds in `l`
 * and `u` are written raw: `{ "q": -2147483648 }` and `{ "q": 2147483647 }`.
 */
export const precomputeAdmm: OperatorPrecompute = ({ n, f, path, params }): Record<string, ParamValue> => {
  if (params.K !== undefined) return {};
  const { P, C, rho, sigma, kShift } = params;
  if (!Array.isArray(P) || !Array.isArray(C) || typeof rho !== 'number' || typeof sigma !== 'number') {
    throw new RangeError(`${path}: P and C (matrices), rho and sigma (numbers) are needed to precompute K`);
  }
  // Malformed shapes: no K; the operator's factory then names what is wrong.
  const square = (M: unknown[]): boolean => M.length === n && M.every((row) => Array.isArray(row) && row.length === n);
  if (!square(P) || C.length === 0 || !C.every((row) => Array.isArray(row) && row.length === n)) return {};
  if (rho <= 0 || sigma <= 0) throw new RangeError(`${path}.${rho <= 0 ? 'rho' : 'sigma'}: must be positive to precompute K`);
  try {
    const out = computeK(f, { P: P as number[][], C: C as number[][], rho, sigma }, typeof kShift === 'number' ? kShift : undefined);
    return kShift === undefined ? { K: out.K, kShift: out.kShift } : { K: out.K };
  } catch (e) {
    // computeK names the entry (`K[1][2]: ...`) or the rule: put the operator's path in front.
    const message = e instanceof Error ? e.message : String(e);
    throw new RangeError(/^[A-Za-z]\w*(\[\d+\])*: /.test(message) ? `${path}.${message}` : `${path}: ${message}`);
  }
};

/** The built-in kinds (src/engine/operators/, src/admm/). */
export const OPERATOR_KINDS: Readonly<Record<string, OperatorKind>> = Object.freeze({
  /** x' = M x + c: M, c Q. */
  linear: { units: {} },
  /** x' = x - eta (P x + q): P, q, eta Q. */
  drift: { units: {} },
  /** Gyroid flux: gain, tangentGain, frequency, period Q. */
  gyroid: { units: {} },
  /** x' = x - diag(alpha)(P x + q): alpha, P, q Q. */
  anisotropy: { units: {} },
  /** Traversal: phases and phase are binary angles, gain Q. */
  traversal: { units: { phases: 'angle', phase: 'angle' } },
  /** ADMM iterations: P, q, C, l, u, rho, sigma, alpha, eps, epsPinf, pinfMin Q; K precomputed here. */
  admm: { units: { kShift: 'int', iterations: 'int', cycle: 'int' }, precompute: precomputeAdmm },
});

/** The unit of parameter `name` of `kind` in `kinds`. */
export function paramUnit(kinds: Readonly<Record<string, OperatorKind>>, kind: string, name: string): ParamUnit {
  const k = Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
  return k?.units[name] ?? 'q';
}
