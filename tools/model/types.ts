/**
 * The model JSON format (SPEC 12), the human side of a model: what a user
 * writes and `matrioshka compile` reads. Its JSON Schema is
 * schema/model.schema.json; docs/models.md explains every field. The
 * compiler turns it into the engine's `ModelSpec` (src/engine/model.ts),
 * whose numbers are all raw int32.
 *
 * Numbers. A field typed `QValue` is a real number, converted to the
 * model's Q format with round to nearest, ties to even (`0.5` in Q16.16 is
 * 32768), or a raw int32 written `{ "q": 32768 }`. A field typed `AngleValue`
 * is a number of turns (`0.25` is a quarter turn), converted to binary angle
 * units (2^24 a turn) the same way, or raw `{ "q": 4194304 }`. A field
 * typed `number` here is a plain integer (counts, shifts, moduli, residues).
 */

/** A real value (converted to Q f, RNE) or a raw Q integer `{ "q": int32 }`. */
export type QValue = number | RawValue;

/** Turns (converted to binary angle units, 2^24 a turn, RNE) or raw `{ "q": int32 }`. */
export type AngleValue = number | RawValue;

/** A raw int32, used as is. */
export interface RawValue {
  q: number;
}

/** The whole model. */
export interface ModelJson {
  /** Optional pointer to the schema, for editors. Ignored. */
  $schema?: string;
  /** Optional name and description. Documentation only: not in the image. */
  name?: string;
  description?: string;
  /** Optional suggested initial state (n values) for host tools (`sim`). Not in the image. */
  x0?: QValue[];
  /** State dimension, 1..64. */
  n: number;
  /** Fractional bits of the Q format, 8..24 (default 16). */
  f?: number;
  /** CRT moduli, 1 to 8 integers >= 2, pairwise coprime, product below 2^31. */
  moduli: number[];
  /** Polytope families: each a CRT index and one shell per level. */
  families: FamilyJson[];
  /** Levels 0..L, outermost first: band, tolerance, threshold, windows. */
  levels: LevelJson[];
  /** The dynamics F, applied first to last. */
  operators: OperatorJson[];
  /** Phase and chirality gates; omitted: always open. */
  gates?: GatesJson;
  /** Context-aware quantization: steps, thresholds, fossilization, gardening. */
  caq: CaqJson;
  /** Active-set capacity K_max, 1..256 (at most the largest facet count). */
  kMax: number;
  /** Stable steps before promotion one level deeper, >= 1. */
  tPromote: number;
  /** Non-commutativity test period in steps, >= 0 (0 = never). */
  tComm: number;
  /** Length H of the state history in a boundary record, 1..1024. */
  history: number;
  /** Candidates the facet-aware quantization may examine, 1..4096. */
  searchCap?: number;
  /** Dykstra sweeps of a projection, 1..4096. */
  projectIters?: number;
  /** Facet pressure leak shift, 1..31. */
  pressureLeak?: number;
}

export interface FamilyJson {
  /** The family's CRT index, 0 .. (product of moduli) - 1; or give `residues`. */
  index?: number;
  /** The same index as residues, one per modulus (alternative to `index`). */
  residues?: number[];
  /** One shell per level, outermost first: level 0 a polytope, inner ones a polytope or a sharpening rule. */
  levels: ShellJson[];
}

export type ShellJson = PolytopeJson | SharpenJson;

/** A polytope written out: `{ x : A x <= b }`. */
export interface PolytopeJson {
  /** m rows of n entries: outward facet normals. */
  A: QValue[][];
  /** m offsets. */
  b: QValue[];
  /** Per facet, the residue shift (one per modulus, each 0..p_j - 1) to the adjacent family, or null. */
  shifts?: (number[] | null)[];
  /** m: gardening clamp of each offset (default: b itself, no gardening). */
  bMin?: QValue[];
  bMax?: QValue[];
}

/** An inner shell derived from the one outside it (SPEC 3). */
export interface SharpenJson {
  sharpen: SharpenRuleJson;
}

export interface SharpenRuleJson {
  /**
   * n x n rotation of the normals: row i of the inner A is `R a_i` (each
   * entry rounded once, RNE). Default: the identity (normals kept).
   */
  R?: QValue[][];
  /** How far each offset moves in: `b_i - eps` (one value) or `b_i - eps_i` (m values). */
  eps: QValue | QValue[];
  /** Shifts of the inner facets; default: the outer shell's. */
  shifts?: (number[] | null)[];
  /** Gardening clamp of the inner offsets; default: none. */
  bMin?: QValue[];
  bMax?: QValue[];
}

export interface LevelJson {
  /** Facet band beta, >= 0. */
  beta: QValue;
  /** Fixed-point tolerance, >= 0 (0 = exact). */
  tol: QValue;
  /** Non-commutativity threshold tau, >= 0. */
  tau: QValue;
  /** Windows of the level; omitted: the whole space. */
  windows?: WindowJson[];
  /** Highest finite-difference order (SPEC 11), a plain integer 0..5; omitted: 0 (none). */
  order?: number;
}

export interface WindowJson {
  metric: 'diagonal' | 'full';
  /** n: the centre. */
  mu: QValue[];
  /** Diagonal: n entries >= 0. Full: n rows of n entries, symmetric, positive semi-definite. */
  S: QValue[] | QValue[][];
  /** Radius, > 0. */
  eps: QValue;
}

export interface GatesJson {
  /** n: phase rates in turns per unit of x. */
  omega: QValue[];
  /** PAS threshold, 0..1. */
  theta: QValue;
  /** Largest allowed PAS jump, >= 0. */
  epsPas: QValue;
  /** n: chirality direction. */
  chi: QValue[];
}

export interface CaqJson {
  /** EMA rate shift, 1..15 (and f + rateShift <= 31). */
  rateShift: number;
  /** Variances start at this value (Q: a variance in units of the squared quantity). */
  varInit: QValue;
  trustVar: QValue;
  trustPressure: QValue;
  volatileVar: QValue;
  /** Per level (L + 1 values): stability ceiling of the variance. */
  stableVar: QValue[];
  /** Level-0 steps (real step sizes; at least one Q unit): min <= mid <= max. */
  deltaMin: QValue;
  deltaMid: QValue;
  deltaMax: QValue;
  /** Schedule shift s (Delta^(l) = Delta^(0) / 2^(s l)), 0..31. */
  scheduleShift: number;
  fossilVar: QValue;
  fossilPressure: QValue;
  /** Consecutive steps to fossilize, >= 1. */
  fossilSteps: number;
  /** Gardening period in steps, >= 1. */
  gardenPeriod: number;
  /** Gardening gain (a plain integer) and shift (0..31): b += RNE(gain u / 2^shift). */
  gardenGain: number;
  gardenShift: number;
}

/** An operator: its kind and its parameters (scalars, vectors, matrices). */
export interface OperatorJson {
  kind: string;
  [param: string]: unknown;
}

/** A parameter value after conversion: raw int32 scalar, vector or matrix (rows). */
export type ParamValue = number | number[] | number[][];
