/**
 * Operators of the dynamics F (SPEC 6): the contract between the engine's
 * step and every operator, built-in or registered by firmware.
 *
 * An operator is an object made once, when the model loads, by a factory
 * that validates its parameters and allocates its tables and scratch. The
 * step then calls `apply(out, x, ctx)`, which must not allocate, throw, or
 * keep references to `out`, `x` or `ctx`.
 */
import type { QContext } from '../fixed/q.js';
import type { Polytope } from '../geometry/polytope.js';

/**
 * What the step tells an operator about where the state is. One object per
 * engine, updated in place before each call (never re-created).
 */
export interface StepContext {
  /** Format and sticky status word. */
  readonly q: QContext;
  /** State dimension. */
  readonly n: number;
  /** Matrioshka level the step is trying, 0 = outermost. */
  level: number;
  /** The candidate level's polytope (current family). */
  polytope: Polytope;
  /** Active facet ids of `x` in `polytope` (most binding first); the first `activeCount` are valid. */
  readonly active: Int32Array;
  activeCount: number;
  /** The chiral gate `Gamma_chi(x) = sigmoid(<x, chi>)`, Q f, in [0, 1.0]. */
  chi: number;
  /** Step counter. */
  step: number;
}

/**
 * What an iterative operator (such as `admm`) concluded in its last apply;
 * the step turns it into a result code or a boundary record.
 */
export const Verdict = {
  /** Nothing to report: the step classifies the result as usual. */
  NONE: 0,
  /** An exact quantized fixed point of the operator's own iteration. */
  CONVERGED: 1,
  /** The iteration cycles with a short period ("fragile truce"). */
  CYCLE: 2,
  /** No point satisfies the operator's constraints: a boundary record INFEASIBLE. */
  INFEASIBLE: 3,
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface Operator {
  /** The model's name for it (`linear`, `gyroid`, or a firmware name). */
  readonly name: string;
  /** Optional: the `Verdict` of the last apply (iterative operators). */
  readonly verdict?: number;
  /** Optional: forget state kept between applies (called by the engine's reset). */
  reset?(): void;
  /**
   * Optional: the operator's own facet pressure, one entry per facet (Q),
   * such as ADMM's dual y (SPEC 7). When its length is the facet count of
   * the polytope the step lands in, the engine takes it as that shell's u.
   */
  readonly facetPressure?: Int32Array;
  /**
   * `out = F_k(x)`. `out` and `x` hold `ctx.n` entries; `out` is never `x`
   * (the engine passes distinct buffers), so an operator may read `x`
   * after writing `out`. Saturation ORs `Flag.SATURATED` into `ctx.q.flags`.
   */
  apply(out: Int32Array, x: Int32Array, ctx: StepContext): void;
}

/**
 * Makes an operator from the parameters a model gives it (`params` is the
 * model's JSON object for this operator). Setup time: validates with
 * messages that name the parameter (`operators[2].M: ...`), allocates, may
 * throw.
 */
export type OperatorFactory = (q: QContext, n: number, params: Record<string, unknown>, path: string) => Operator;

/**
 * The operator kinds a model may name. Built-ins are in `builtinOperators`;
 * firmware adds its own by passing a table of factories to `createEngine`
 * (`{ ...builtinOperators, myOperator: createMyOperator }`): no module-level
 * registry, since module scope is frozen into flash on a board.
 */
export type OperatorTable = Readonly<Record<string, OperatorFactory>>;
