/**
 * Geometry of a model, proved on the host with a real LP solver (HiGHS,
 * compiled to WebAssembly, the `highs` package; loaded lazily):
 *
 * - Non-empty shells: every polytope has a point.
 * - Nesting (SPEC 3): for each family, each level l >= 1 and each facet i of
 *   `P^(l-1)`, maximize `a_i' x` over `P^(l)`; the shell nests iff every
 *   maximum is at most `b_i` plus NESTING_TOLERANCE (half a Q unit). An
 *   unbounded maximum, or one above, names the family, the level and the
 *   facet that breaks nesting.
 * - Headroom (SPEC 1): the bounding box of the outermost shell of every
 *   family (2n LPs) must keep every state entry `|x_j| < 2^30` raw (the
 *   state range of the linear-algebra kernels), and for every facet of every
 *   shell of the family, `<a_i, x>` and the slack `b_i - <a_i, x>` must stay
 *   int32 for every x in the outermost shell (interval arithmetic on the
 *   box first; an LP per facet only where that bound is not enough).
 *
 * LPs are solved in real units (every raw int32 divided by 2^f, written as
 * exact decimal text), in floating point with HiGHS's default tolerances
 * tightened to 1e-9. The tolerance of half a Q unit is the resolution of
 * the offsets themselves: b is rounded to the nearest Q unit when the model
 * is converted, so a model whose real-valued shells nest may miss by that
 * much, and no LP error comes near it at these sizes.
 */
import type { ModelSpec, PolytopeSpec } from '../../src/engine/model.js';
import { qText } from './convert.js';
import { ModelError, type Issue } from './issues.js';

/** Slack allowed in a nesting proof, in Q units: half of one. */
export const NESTING_TOLERANCE_Q = 0.5;
/** State entries must stay below this in magnitude, raw (the kernels' state range). */
export const STATE_RANGE_RAW = 2 ** 30;

export interface NestingProof {
  /** Family position in `model.families`. */
  family: number;
  /** The inner level (the shell proved inside level - 1). */
  level: number;
  /** Facet of level - 1. */
  facet: number;
  /** max a_i' x over the inner shell, real units. */
  max: number;
  /** b_i of the outer facet, real units. */
  b: number;
}

export interface FamilyBox {
  family: number;
  /** n: componentwise min and max of x over the outermost shell, real units. */
  lo: number[];
  hi: number[];
}

export interface GeometryReport {
  proofs: NestingProof[];
  boxes: FamilyBox[];
  /** LPs solved. */
  lps: number;
  /** Things that do not refuse the model (possible operator saturation). */
  warnings: Issue[];
}

type LpResult =
  | { status: 'optimal'; value: number; x: number[] }
  | { status: 'infeasible'; detail: string }
  | { status: 'unbounded'; detail: string }
  | { status: 'failed'; detail: string };

interface Solver {
  solve(problem: string, options: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> };
}

let solverPromise: Promise<Solver> | undefined;

/** HiGHS, loaded once per process. */
async function highs(): Promise<Solver> {
  solverPromise ??= import('highs').then(async (mod) => (await (mod as unknown as { default: () => Promise<unknown> }).default()) as Solver);
  return solverPromise;
}

const LP_OPTIONS = {
  output_flag: false,
  presolve: 'off',
  primal_feasibility_tolerance: 1e-9,
  dual_feasibility_tolerance: 1e-9,
};

/** ` + 1.5 x0 - 2 x1` for the row `coef` (raw, Q f); ` 0 x0` for a zero row. */
function linear(coef: readonly number[], f: number): string {
  let s = '';
  coef.forEach((v, j) => {
    if (v === 0) return;
    s += v < 0 ? ` - ${qText(-v, f)} x${j}` : ` + ${qText(v, f)} x${j}`;
  });
  return s === '' ? ' 0 x0' : s;
}

/** Maximizes `coef' x` over `{ x : A x <= b }` (all raw Q f). */
function maximize(solver: Solver, coef: readonly number[], P: PolytopeSpec, n: number, f: number): LpResult {
  const lines = ['Maximize', ` obj:${linear(coef, f)}`, 'Subject To'];
  P.A.forEach((row, i) => lines.push(` c${i}:${linear(row, f)} <= ${P.b[i] < 0 ? '-' : ''}${qText(Math.abs(P.b[i]), f)}`));
  lines.push('Bounds');
  for (let j = 0; j < n; j++) lines.push(` x${j} free`);
  lines.push('End');
  let res;
  try {
    res = solver.solve(lines.join('\n'), LP_OPTIONS);
  } catch (e) {
    return { status: 'failed', detail: e instanceof Error ? e.message : String(e) };
  }
  if (res.Status === 'Optimal') {
    const x: number[] = [];
    for (let j = 0; j < n; j++) x.push(res.Columns[`x${j}`]?.Primal ?? 0);
    return { status: 'optimal', value: res.ObjectiveValue, x };
  }
  if (res.Status === 'Infeasible') return { status: 'infeasible', detail: res.Status };
  if (res.Status === 'Unbounded') return { status: 'unbounded', detail: res.Status };
  return { status: 'failed', detail: res.Status };
}

/** A real number for a message: at most 6 significant digits. */
function num(v: number): string {
  return String(Number(v.toPrecision(6)));
}

const point = (x: number[]): string => `[${x.map(num).join(', ')}]`;

/** `k Q units` (or `1 Q unit`) for a distance in raw units. */
const units = (v: number): string => `${num(v)} Q unit${num(v) === '1' ? '' : 's'}`;

/**
 * Proves non-emptiness, nesting and headroom of every family (see the module
 * comment). Throws a ModelError listing every failure; otherwise returns the
 * proofs, the bounding boxes and warnings.
 */
export async function proveGeometry(model: ModelSpec): Promise<GeometryReport> {
  const solver = await highs();
  const f = model.f ?? 16;
  const n = model.n;
  const scale = 2 ** f;
  const issues: Issue[] = [];
  const report: GeometryReport = { proofs: [], boxes: [], lps: 0, warnings: [] };
  const solve = (coef: readonly number[], P: PolytopeSpec): LpResult => {
    report.lps++;
    return maximize(solver, coef, P, n, f);
  };
  const format = `Q${31 - f}.${f}`;

  model.families.forEach((fam, k) => {
    const famPath = `families[${k}]`;
    // Bounding box of the outermost shell (also proves it non-empty and bounded).
    const outer = fam.levels[0];
    const lo: number[] = [];
    const hi: number[] = [];
    let boxOk = true;
    for (let j = 0; j < n && boxOk; j++) {
      const e = new Array<number>(n).fill(0);
      for (const sign of [1, -1]) {
        e[j] = sign;
        const res = solve(e.map((v) => v * scale), outer);
        if (res.status === 'infeasible') {
          issues.push({ path: `${famPath}.levels[0]`, rule: 'the polytope is empty (no x satisfies A x <= b)' });
          boxOk = false;
          break;
        }
        if (res.status === 'unbounded') {
          issues.push({ path: `${famPath}.levels[0]`, rule: `the outermost shell is unbounded (x[${j}] has no ${sign > 0 ? 'upper' : 'lower'} bound): the state range cannot be proved` });
          boxOk = false;
          break;
        }
        if (res.status === 'failed') {
          issues.push({ path: `${famPath}.levels[0]`, rule: `the LP solver failed (${res.detail}) bounding x[${j}]` });
          boxOk = false;
          break;
        }
        if (sign > 0) hi.push(res.value);
        else lo.push(-res.value);
      }
    }
    if (boxOk) {
      report.boxes.push({ family: k, lo, hi });
      const limit = STATE_RANGE_RAW / scale;
      for (let j = 0; j < n; j++) {
        const v = Math.max(Math.abs(lo[j]), Math.abs(hi[j]));
        if (v >= limit) {
          issues.push({ path: `${famPath}.levels[0]`, rule: `x[${j}] reaches ${num(v)} on the outermost shell; the state range is |x| < 2^30 raw (${num(limit)} in ${format})` });
        }
      }
      // <a_i, x> and b_i - <a_i, x> inside int32 over the outermost shell, for every shell's facets.
      const reach = lo.map((v, j) => Math.max(Math.abs(v), Math.abs(hi[j])));
      fam.levels.forEach((P, l) =>
        P.A.forEach((row, i) => {
          const bound = row.reduce((s, a, j) => s + Math.abs(a) * reach[j], 0); // raw units of <a, x>
          if (bound + Math.abs(P.b[i]) < 2 ** 31 - 1) return;
          const mx = solve(row, outer);
          const mn = solve(row.map((a) => -a), outer);
          if (mx.status !== 'optimal' || mn.status !== 'optimal') return;
          const top = mx.value * scale;
          const bottom = -mn.value * scale;
          const worst = Math.max(Math.abs(top), Math.abs(bottom), Math.abs(P.b[i] - bottom), Math.abs(P.b[i] - top));
          if (worst > 2 ** 31 - 1) {
            issues.push({ path: `${famPath}.levels[${l}].A[${i}]`, rule: `<a, x> over the outermost shell spans ${num(bottom / scale)} .. ${num(top / scale)}: it or the slack b - <a, x> leaves the int32 range of ${format}` });
          }
        }),
      );
      // Linear operators: |M x + c| over the box, a warning if it can saturate.
      model.operators.forEach((op, o) => {
        if (op.kind !== 'linear' || !Array.isArray(op.M)) return;
        (op.M as number[][]).forEach((row, i) => {
          // Raw M (Q f) times real x gives raw units of the result; c is raw.
          const c = Array.isArray(op.c) ? Math.abs((op.c as number[])[i] ?? 0) : 0;
          const bound = row.reduce((s, a, j) => s + Math.abs(a) * (reach[j] ?? 0), 0) + c;
          if (bound > 2 ** 31 - 1) {
            report.warnings.push({ path: `operators[${o}].M[${i}]`, rule: `(M x + c)[${i}] can reach ${num(bound / scale)} on the outermost shell of families[${k}] and saturate` });
          }
        });
      });
    }

    // Nesting: every facet of level l - 1 holds on all of level l.
    for (let l = 1; l < fam.levels.length; l++) {
      const outerP = fam.levels[l - 1];
      const inner = fam.levels[l];
      const path = `${famPath}.levels[${l}]`;
      let broken = false;
      for (let i = 0; i < outerP.A.length && !broken; i++) {
        const res = solve(outerP.A[i], inner);
        const bi = outerP.b[i] / scale;
        if (res.status === 'infeasible') {
          issues.push({ path, rule: 'the polytope is empty (no x satisfies A x <= b)' });
          broken = true;
        } else if (res.status === 'unbounded') {
          issues.push({ path, rule: `not nested in levels[${l - 1}]: unbounded in the direction of facet ${i} of levels[${l - 1}] (A[${i}] x <= b[${i}] = ${qText(outerP.b[i], f)})` });
        } else if (res.status === 'failed') {
          issues.push({ path, rule: `the LP solver failed (${res.detail}) on facet ${i} of levels[${l - 1}]` });
        } else {
          report.proofs.push({ family: k, level: l, facet: i, max: res.value, b: bi });
          if (res.value > bi + NESTING_TOLERANCE_Q / scale) {
            issues.push({
              path,
              rule: `not nested in levels[${l - 1}]: facet ${i} (A[${i}] x <= b[${i}] = ${qText(outerP.b[i], f)}) reaches ${qText(Math.round(res.value * scale), f)} (${units(res.value * scale - outerP.b[i])} beyond) at x = ${point(res.x)}`,
            });
          }
        }
      }
    }
  });
  if (issues.length > 0) throw new ModelError(issues);
  return report;
}
