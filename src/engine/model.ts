/**
 * The in-memory model description the engine is created from (SPEC 2-8,
 * 10). Every number is a raw int32: Q values in the model's format `f`,
 * steps in Q units, counts as plain integers. The model compiler (host) and
 * the image loader produce this same shape.
 */
import type { CaqParams } from '../caq/state.js';
import type { WindowSpec } from '../geometry/window.js';

export interface PolytopeSpec {
  /** m rows of n entries, Q: outward facet normals. */
  A: number[][];
  /** m, Q: offsets; P = { x : A x <= b }. */
  b: number[];
  /**
   * Per facet, the residue shift (one entry per modulus) to the adjacent
   * family when the state grazes that facet, or null for none (SPEC 10).
   */
  shifts?: (number[] | null)[];
  /** m, Q: gardening clamp of each offset (default: b itself, i.e. no gardening). */
  bMin?: number[];
  bMax?: number[];
}

export interface FamilySpec {
  /** The CRT integer index of this family (0 .. product of moduli - 1). */
  index: number;
  /** One polytope per level, outermost first: P^(0) contains P^(1) ... */
  levels: PolytopeSpec[];
}

export interface LevelSpec {
  /** Facet band beta, Q (>= 0). */
  beta: number;
  /** Fixed-point tolerance, Q (>= 0): ||yq - xq||_inf <= tol counts as FIXED (0 = exact). */
  tol: number;
  /** Non-commutativity threshold tau, Q (>= 0). */
  tau: number;
  /** Windows of this level; none means the whole space is a window. */
  windows?: WindowSpec[];
  /**
   * Highest order of the lattice finite differences (SPEC 11) taken at this
   * level, 0..5 (default 0: no higher-order terms). With order >= 1 a
   * boundary record written at this level carries the Jacobian rows along
   * the active facet normals, with order >= 2 also their curvature, and a
   * GRAZING step predicts its next facet crossing (see docs/engine.md).
   */
  order?: number;
}

export interface GateSpec {
  /** n, Q: phase rates; phi_i = omega_i x_i as a binary angle (see gates.ts). */
  omega: number[];
  /** PAS threshold theta, Q in [0, 1.0]. */
  theta: number;
  /** Largest allowed |PAS - PAS_prev|, Q. */
  epsPas: number;
  /** n, Q: the chirality direction of Gamma_chi(x) = sigmoid(<x, chi>). */
  chi: number[];
}

export interface OperatorSpec {
  /** The operator's name in the engine's operator table (`linear`, `gyroid`, ...). */
  kind: string;
  /** The operator's own parameters. */
  [param: string]: unknown;
}

export interface ModelSpec {
  /** State dimension. */
  n: number;
  /** Fractional bits, 8..24 (default 16). */
  f?: number;
  /** CRT moduli, pairwise coprime, product < 2^31. */
  moduli: number[];
  /** Polytope families, each with one polytope per level. */
  families: FamilySpec[];
  /** Levels 0..L, outermost first. */
  levels: LevelSpec[];
  /** The sequence F, applied first to last, quantized between operators. */
  operators: OperatorSpec[];
  /** Gates; omitted: always open, chi = 0.5. */
  gates?: GateSpec;
  /** CAQ settings (SPEC 5); f, bMin and bMax come from the model and polytopes. */
  caq: Omit<CaqParams, 'f' | 'bMin' | 'bMax'>;
  /** Active-set capacity K_max (>= 1). */
  kMax: number;
  /** Stable steps before promotion one level deeper. */
  tPromote: number;
  /** Non-commutativity test period in steps (0 = never). */
  tComm: number;
  /** Length H of the state history ring in a boundary record (>= 1). */
  history: number;
  /** Candidates the facet-aware quantization may examine. */
  searchCap?: number;
  /** Dykstra sweeps for projection. */
  projectIters?: number;
  /** Facet pressure leak: u_i -= u_i >> pressureLeak each step (1..31). */
  pressureLeak?: number;
}
