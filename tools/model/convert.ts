/**
 * Model JSON -> the engine's `ModelSpec` (src/engine/model.ts): the one
 * conversion shared by the image compiler and by host tools that run a model
 * without an image.
 *
 * 1. Shape checks (tools/model/check.ts): types, forms, unknown keys.
 * 2. Conversion: reals to Q f (RNE), turns to binary angles, family
 *    residues to CRT indices, sharpening rules expanded into polytopes
 *    (exactly, in integers: `A'_ij = RNE(sum_k R_jk A_ik / 2^f)`,
 *    `b'_i = b_i - eps_i`).
 * 3. The engine's own checks on the result, reused rather than repeated:
 *    `checkModel` (src/engine/validate.ts), the CRT index, the CAQ state of
 *    every shell, every window, and every operator through its factory
 *    (after the operator's host precomputation, tools/model/operators.ts).
 * 4. The compiler's range rules the engine leaves to it: `bMin <= b <=
 *    bMax`, residue shifts below their modulus, `theta <= 1`, `kMax` at
 *    most the largest facet count, full window metrics positive
 *    semi-definite (exactly, in rationals).
 *
 * Geometry (nesting, headroom) needs an LP solver and is in nesting.ts.
 * Every problem is an Issue (`path: rule`); a model with any is refused with
 * a ModelError listing them.
 */
import { CAQ_LEVELS_MAX, createCaqState } from '../../src/caq/state.js';
import { ANGLE_BITS } from '../../src/fixed/angle.js';
import { createQ, F_DEFAULT, INT32_MAX, INT32_MIN } from '../../src/fixed/q.js';
import { createWindow } from '../../src/geometry/window.js';
import { createCrtIndex, toIndex } from '../../src/index/crt.js';
import type { FamilySpec, GateSpec, LevelSpec, ModelSpec, OperatorSpec, PolytopeSpec } from '../../src/engine/model.js';
import type { OperatorTable } from '../../src/engine/operator.js';
import { builtinOperators } from '../../src/engine/operators/index.js';
import { createAdmmOperator } from '../../src/admm/operator.js';
import { checkModel } from '../../src/engine/validate.js';
import { IMAGE_CAQ_FIELDS, ImageLimit } from '../../src/model/format.js';
import { checkModelJson } from './check.js';
import { issueFromMessage, ModelError, show, type Issue } from './issues.js';
import { OPERATOR_KINDS, paramUnit, type OperatorKind, type ParamUnit } from './operators.js';
import type { ModelJson, ParamValue, PolytopeJson, QValue, SharpenRuleJson, WindowJson } from './types.js';

export interface ModelFromJsonOptions {
  /** Factories that validate operator parameters (default: DEFAULT_OPERATOR_TABLE, the engine's built-ins and ADMM). */
  operatorTable?: OperatorTable;
  /** Parameter units and host precomputations per kind (default: OPERATOR_KINDS). */
  operatorKinds?: Readonly<Record<string, OperatorKind>>;
}

export interface ConvertedModel {
  /** The engine's model, every number a raw int32. */
  model: ModelSpec;
  /** Things worth saying that do not refuse the model (e.g. a firmware operator kind). */
  warnings: Issue[];
  /** The JSON's suggested initial state `x0`, raw Q f (n values), if it gives one. Not part of the model. */
  x0?: number[];
}

/** The factories that validate operator parameters by default: the engine's built-ins and ADMM. */
export const DEFAULT_OPERATOR_TABLE: OperatorTable = Object.freeze({ admm: createAdmmOperator, ...builtinOperators });

/** CAQ settings that are plain integers (the others are Q values). */
const CAQ_INT_FIELDS = ['rateShift', 'scheduleShift', 'fossilSteps', 'gardenPeriod', 'gardenGain', 'gardenShift'];

/**
 * `x` rounded to the nearest integer, ties to even. Exact for any double:
 * below 2^52 `x - floor(x)` is exact, above it `x` is already an integer.
 */
export function rneDouble(x: number): number {
  const fl = Math.floor(x);
  const d = x - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** `x / 2^s` rounded to nearest, ties to even, for a BigInt. */
export function rneShiftBig(x: bigint, s: number): bigint {
  if (s === 0) return x;
  const S = BigInt(s);
  const q = x >> S; // floor
  const r = x - (q << S);
  const half = 1n << (S - 1n);
  return r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
}

/** The real value of a raw Q integer, as exact decimal text. */
export function qText(raw: number, f: number): string {
  const neg = raw < 0;
  let v = BigInt(Math.abs(raw)) * 5n ** BigInt(f); // raw / 2^f = raw * 5^f / 10^f
  const scale = 10n ** BigInt(f);
  const int = v / scale;
  v = v % scale;
  let frac = v.toString().padStart(f, '0').replace(/0+$/, '');
  if (frac !== '') frac = `.${frac}`;
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Converts JSON numbers, collecting range issues. */
class Converter {
  readonly issues: Issue[] = [];
  constructor(readonly f: number) {}

  /** `scaled` rounded (RNE) if it is an int32; otherwise an issue naming the value as written, `v`. */
  private range(path: string, v: number, scaled: number, unit: string): number {
    const x = rneDouble(scaled);
    if (x < INT32_MIN || x > INT32_MAX) {
      this.issues.push({ path, rule: `${v} is outside the range of ${unit}` });
      return 0;
    }
    return x === 0 ? 0 : x; // no -0
  }

  /** A QValue: a real times 2^f, rounded (RNE), or a raw int32. */
  q(path: string, v: QValue): number {
    if (typeof v !== 'number') return v.q;
    const lo = qText(INT32_MIN, this.f);
    const hi = qText(INT32_MAX, this.f);
    return this.range(path, v, v * 2 ** this.f, `Q${31 - this.f}.${this.f} (${lo} .. ${hi})`);
  }

  /** A number in the given unit. */
  unit(path: string, v: QValue, unit: ParamUnit): number {
    if (typeof v !== 'number') return v.q;
    if (unit === 'q') return this.q(path, v);
    if (unit === 'angle') return this.range(path, v, v * 2 ** ANGLE_BITS, 'binary angles (int32 units of 2^-24 turn)');
    if (!Number.isInteger(v)) {
      this.issues.push({ path, rule: `must be an integer (this parameter is a count), got ${v}` });
      return 0;
    }
    return this.range(path, v, v, 'int32');
  }

  qvec(path: string, v: QValue[]): number[] {
    return v.map((e, i) => this.q(`${path}[${i}]`, e));
  }

  qmat(path: string, v: QValue[][]): number[][] {
    return v.map((row, i) => this.qvec(`${path}[${i}]`, row));
  }

  param(path: string, v: unknown, unit: ParamUnit): ParamValue {
    if (!Array.isArray(v)) return this.unit(path, v as QValue, unit);
    if (v.length > 0 && Array.isArray(v[0])) return (v as QValue[][]).map((row, i) => row.map((e, j) => this.unit(`${path}[${i}][${j}]`, e, unit)));
    return (v as QValue[]).map((e, i) => this.unit(`${path}[${i}]`, e, unit));
  }
}

/** A polytope written out, converted. */
function convertPolytope(c: Converter, path: string, p: PolytopeJson): PolytopeSpec {
  const out: PolytopeSpec = { A: c.qmat(`${path}.A`, p.A), b: c.qvec(`${path}.b`, p.b) };
  if (p.shifts !== undefined) out.shifts = p.shifts.map((s) => (s === null ? null : s.slice()));
  if (p.bMin !== undefined) out.bMin = c.qvec(`${path}.bMin`, p.bMin);
  if (p.bMax !== undefined) out.bMax = c.qvec(`${path}.bMax`, p.bMax);
  return out;
}

/**
 * Expands a sharpening rule against the (converted) shell outside it:
 * `a'_i = R a_i` (each entry `RNE(sum_k R_jk a_ik / 2^f)`, exact) and
 * `b'_i = b_i - eps_i`. Shifts are inherited unless given; gardening clamps
 * only when given. If the outer shell is malformed, returns a copy of it
 * (the engine's checks then report the outer shell first).
 */
function expandSharpen(c: Converter, path: string, outer: PolytopeSpec, rule: SharpenRuleJson, n: number, f: number): PolytopeSpec {
  const m = outer.A.length;
  const copy = (): PolytopeSpec => ({ A: outer.A.map((row) => row.slice()), b: outer.b.slice() });
  if (outer.b.length !== m || outer.A.some((row) => row.length !== n)) return copy();
  const sp = `${path}.sharpen`;
  let A = outer.A.map((row) => row.slice());
  if (rule.R !== undefined) {
    const R = c.qmat(`${sp}.R`, rule.R);
    if (R.length !== n) {
      c.issues.push({ path: `${sp}.R`, rule: `has ${R.length} rows, n is ${n}` });
      return copy();
    }
    const bad = R.findIndex((row) => row.length !== n);
    if (bad >= 0) {
      c.issues.push({ path: `${sp}.R[${bad}]`, rule: `row has ${R[bad].length} entries, n is ${n}` });
      return copy();
    }
    A = outer.A.map((a, i) =>
      R.map((Rj, j) => {
        let s = 0n;
        for (let k = 0; k < n; k++) s += BigInt(Rj[k]) * BigInt(a[k]);
        const v = rneShiftBig(s, f);
        if (v < BigInt(INT32_MIN) || v > BigInt(INT32_MAX)) {
          c.issues.push({ path: `${sp}.R`, rule: `the rotated normal of facet ${i} leaves int32 in entry ${j}` });
          return 0;
        }
        return Number(v);
      }),
    );
  }
  let eps: number[];
  if (Array.isArray(rule.eps)) {
    eps = c.qvec(`${sp}.eps`, rule.eps);
    if (eps.length !== m) {
      c.issues.push({ path: `${sp}.eps`, rule: `has ${eps.length} entries, the shell outside has ${m} facets` });
      return copy();
    }
  } else {
    eps = new Array<number>(m).fill(c.q(`${sp}.eps`, rule.eps));
  }
  const b = outer.b.map((bi, i) => {
    const v = bi - eps[i];
    if (v < INT32_MIN || v > INT32_MAX) {
      c.issues.push({ path: `${sp}.eps${Array.isArray(rule.eps) ? `[${i}]` : ''}`, rule: `b[${i}] - eps leaves int32` });
      return 0;
    }
    return v;
  });
  const out: PolytopeSpec = { A, b };
  const shifts = rule.shifts ?? outer.shifts;
  if (shifts !== undefined) out.shifts = shifts.map((s) => (s === null ? null : s.slice()));
  if (rule.bMin !== undefined) out.bMin = c.qvec(`${sp}.bMin`, rule.bMin);
  if (rule.bMax !== undefined) out.bMax = c.qvec(`${sp}.bMax`, rule.bMax);
  return out;
}

/** `message` of an exception, `String(e)` otherwise. */
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** An issue from a createCrtIndex message (`CRT index: moduli[2] = 9 shares ...`). */
function crtIssue(message: string): Issue {
  const rest = message.replace(/^CRT index: /, '');
  const m = /^((?:moduli|families)\[\d+\](?:\.index)?) = (.*)$/s.exec(rest);
  return m ? { path: m[1], rule: `${m[2]}` } : { path: 'moduli', rule: rest };
}

/**
 * Exact positive semi-definiteness of a symmetric integer matrix (n x n,
 * row-major), by symmetric Gaussian elimination in rationals: PSD iff every
 * pivot is >= 0 and a zero pivot has a zero row in its Schur complement.
 */
export function isPsd(S: readonly number[], n: number): boolean {
  // Rationals as [num, den] with den > 0.
  const M: [bigint, bigint][][] = [];
  for (let i = 0; i < n; i++) M.push(Array.from({ length: n }, (_, j) => [BigInt(S[i * n + j]), 1n] as [bigint, bigint]));
  const gcd = (a: bigint, b: bigint): bigint => {
    a = a < 0n ? -a : a;
    while (b !== 0n) [a, b] = [b, a % b];
    return a;
  };
  const norm = ([p, q]: [bigint, bigint]): [bigint, bigint] => {
    if (p === 0n) return [0n, 1n];
    const g = gcd(p, q < 0n ? -q : q);
    return q < 0n ? [-p / g, -q / g] : [p / g, q / g];
  };
  for (let k = 0; k < n; k++) {
    const [pn, pd] = M[k][k];
    if (pn < 0n) return false;
    if (pn === 0n) {
      for (let j = k + 1; j < n; j++) if (M[k][j][0] !== 0n) return false;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const [an, ad] = M[i][k];
      if (an === 0n) continue;
      // factor = M[i][k] / pivot
      const fn = an * pd;
      const fd = ad * pn;
      for (let j = k + 1; j < n; j++) {
        const [bn, bd] = M[k][j];
        if (bn === 0n) continue;
        const [cn, cd] = M[i][j];
        // c - f * b
        M[i][j] = norm([cn * fd * bd - fn * bn * cd, cd * fd * bd]);
      }
    }
  }
  return true;
}

/**
 * Converts and checks a model JSON (see the module comment). Throws a
 * ModelError listing every issue; otherwise returns the engine's model.
 */
export function modelFromJson(json: unknown, options: ModelFromJsonOptions = {}): ConvertedModel {
  const shapeIssues = checkModelJson(json);
  if (shapeIssues.length > 0) throw new ModelError(shapeIssues);
  const j = json as ModelJson;
  const table = options.operatorTable ?? DEFAULT_OPERATOR_TABLE;
  const kinds = options.operatorKinds ?? OPERATOR_KINDS;
  const warnings: Issue[] = [];
  const f = j.f ?? F_DEFAULT;
  const n = j.n;
  const c = new Converter(f);

  // Family indices given as residues.
  const familyIndex = (k: number): number => {
    const fam = j.families[k];
    if (fam.index !== undefined) return fam.index;
    const res = fam.residues as number[];
    const r = j.moduli.length;
    let crt;
    try {
      crt = createCrtIndex(j.moduli);
    } catch {
      return 0; // the moduli themselves are refused below, with their own message
    }
    if (res.length !== r) {
      c.issues.push({ path: `families[${k}].residues`, rule: `has ${res.length} entries, there are ${r} moduli` });
      return 0;
    }
    const bad = res.findIndex((a, t) => a < 0 || a >= j.moduli[t]);
    if (bad >= 0) {
      c.issues.push({ path: `families[${k}].residues[${bad}]`, rule: `must be in 0..${j.moduli[bad] - 1} (moduli[${bad}] is ${j.moduli[bad]}), got ${res[bad]}` });
      return 0;
    }
    return toIndex(crt, Int32Array.from(res));
  };

  const families: FamilySpec[] = j.families.map((fam, k) => {
    const levels: PolytopeSpec[] = [];
    fam.levels.forEach((shell, l) => {
      const p = `families[${k}].levels[${l}]`;
      if ('sharpen' in shell) {
        if (l === 0) {
          c.issues.push({ path: `${p}.sharpen`, rule: 'the outermost shell must be written out (A and b): a sharpening rule derives a shell from the one outside it' });
          levels.push({ A: [], b: [] });
        } else {
          levels.push(expandSharpen(c, p, levels[l - 1], shell.sharpen, n, f));
        }
      } else {
        levels.push(convertPolytope(c, p, shell));
      }
    });
    return { index: familyIndex(k), levels };
  });

  const levels: LevelSpec[] = j.levels.map((lv, l) => {
    const p = `levels[${l}]`;
    const out: LevelSpec = { beta: c.q(`${p}.beta`, lv.beta), tol: c.q(`${p}.tol`, lv.tol), tau: c.q(`${p}.tau`, lv.tau) };
    if (lv.windows !== undefined) out.windows = lv.windows.map((w, k) => convertWindow(c, `${p}.windows[${k}]`, w, n));
    if (lv.order !== undefined) out.order = lv.order;
    return out;
  });

  const caq: Record<string, unknown> = {};
  for (const key of IMAGE_CAQ_FIELDS) {
    const v = (j.caq as unknown as Record<string, QValue>)[key];
    caq[key] = CAQ_INT_FIELDS.includes(key) ? v : c.q(`caq.${key}`, v);
  }
  caq.stableVar = c.qvec('caq.stableVar', j.caq.stableVar);

  let gates: GateSpec | undefined;
  if (j.gates !== undefined) {
    gates = {
      omega: c.qvec('gates.omega', j.gates.omega),
      theta: c.q('gates.theta', j.gates.theta),
      epsPas: c.q('gates.epsPas', j.gates.epsPas),
      chi: c.qvec('gates.chi', j.gates.chi),
    };
  }

  const model: ModelSpec = {
    n,
    f,
    moduli: j.moduli.slice(),
    families,
    levels,
    operators: [],
    caq: caq as unknown as ModelSpec['caq'],
    kMax: j.kMax,
    tPromote: j.tPromote,
    tComm: j.tComm,
    history: j.history,
  };
  if (gates !== undefined) model.gates = gates;
  if (j.searchCap !== undefined) model.searchCap = j.searchCap;
  if (j.projectIters !== undefined) model.projectIters = j.projectIters;
  if (j.pressureLeak !== undefined) model.pressureLeak = j.pressureLeak;

  // Operator parameters in their units (the factories check them later).
  const opJson = j.operators.map((op) => op as Record<string, unknown>);
  for (let k = 0; k < opJson.length; k++) {
    const op = opJson[k];
    const kind = op.kind as string;
    const spec: OperatorSpec = { kind };
    for (const [name, value] of Object.entries(op)) {
      if (name !== 'kind') spec[name] = c.param(`operators[${k}].${name}`, value, paramUnit(kinds, kind, name));
    }
    model.operators.push(spec);
  }
  let x0: number[] | undefined;
  if (j.x0 !== undefined) {
    x0 = c.qvec('x0', j.x0);
    if (x0.length !== n) c.issues.push({ path: 'x0', rule: `has ${x0.length} entries, n is ${n}` });
  }
  if (c.issues.length > 0) throw new ModelError(c.issues);

  // The moduli first (residues and shifts are read against them), then the
  // engine's shape checks: the checks after them assume its shapes.
  try {
    createCrtIndex(model.moduli);
  } catch (e) {
    throw new ModelError([crtIssue(messageOf(e))]);
  }
  try {
    checkModel(model);
  } catch (e) {
    throw new ModelError([issueFromMessage(messageOf(e), 'model')]);
  }

  const issues: Issue[] = [];
  const r = model.moduli.length;
  // Counts the image format and the CAQ state bound.
  if (model.levels.length > CAQ_LEVELS_MAX) issues.push({ path: 'levels', rule: `at most ${CAQ_LEVELS_MAX} levels, got ${model.levels.length}` });
  if (model.families.length > ImageLimit.FAMILIES) issues.push({ path: 'families', rule: `at most ${ImageLimit.FAMILIES} families, got ${model.families.length}` });
  if (model.operators.length > ImageLimit.OPERATORS) issues.push({ path: 'operators', rule: `at most ${ImageLimit.OPERATORS} operators, got ${model.operators.length}` });
  model.levels.forEach((lv, l) => {
    if ((lv.windows?.length ?? 0) > ImageLimit.WINDOWS) issues.push({ path: `levels[${l}].windows`, rule: `at most ${ImageLimit.WINDOWS} windows per level, got ${lv.windows?.length}` });
  });
  if (issues.length > 0) throw new ModelError(issues);
  try {
    createCrtIndex(model.moduli, model.families.map((fam, k) => ({ index: fam.index, family: k })));
  } catch (e) {
    issues.push(crtIssue(messageOf(e)));
  }
  const q = createQ(f);
  const L1 = levels.length;
  let mMax = 0;
  let caqReported = false;
  families.forEach((fam, k) =>
    fam.levels.forEach((p, l) => {
      // Fields of a sharpened shell are written inside its rule; inherited shifts were checked where written.
      const shellJson = j.families[k].levels[l];
      const sharpened = 'sharpen' in shellJson;
      const path = sharpened ? `families[${k}].levels[${l}].sharpen` : `families[${k}].levels[${l}]`;
      const m = p.A.length;
      if (m > mMax) mMax = m;
      const ownShifts = !sharpened || (shellJson as { sharpen: SharpenRuleJson }).sharpen.shifts !== undefined;
      if (ownShifts) {
        p.shifts?.forEach((s, i) =>
          s?.forEach((v, t) => {
            if (t < r && v >= model.moduli[t]) issues.push({ path: `${path}.shifts[${i}][${t}]`, rule: `must be in 0..${model.moduli[t] - 1} (moduli[${t}] is ${model.moduli[t]}), got ${v}` });
          }),
        );
      }
      let clampIssue = false;
      for (const [key, cmp] of [['bMin', 1], ['bMax', -1]] as const) {
        const lim = p[key];
        lim?.forEach((v, i) => {
          if ((v - p.b[i]) * cmp > 0) {
            clampIssue = true;
            issues.push({ path: `${path}.${key}[${i}]`, rule: `${qText(v, f)} is ${cmp > 0 ? 'above' : 'below'} b[${i}] = ${qText(p.b[i], f)}` });
          }
        });
      }
      try {
        createCaqState(m, n, L1, { ...model.caq, f, bMin: p.bMin ?? p.b, bMax: p.bMax ?? p.b });
      } catch (e) {
        const msg = messageOf(e).replace(/^caq params\./, '');
        const shellField = /^(bMin|bMax)/.test(msg);
        // bMin <= b <= bMax (reported above) implies bMin <= bMax: say it once.
        if (shellField) {
          if (!clampIssue) issues.push(issueFromMessage(`${path}.${msg}`, path));
        } else if (!caqReported) {
          caqReported = true;
          issues.push(issueFromMessage(`caq.${msg}`, 'caq'));
        }
      }
    }),
  );
  if (model.kMax > mMax) issues.push({ path: 'kMax', rule: `must be at most the largest facet count m = ${mMax}, got ${model.kMax}` });
  if (gates !== undefined && gates.theta > q.one) issues.push({ path: 'gates.theta', rule: `must be in 0..1 (0..${q.one} raw), got ${qText(gates.theta, f)}` });
  levels.forEach((lv, l) =>
    lv.windows?.forEach((w, k) => {
      const path = `levels[${l}].windows[${k}]`;
      if (w.mu.length !== n) {
        issues.push({ path: `${path}.mu`, rule: `has ${w.mu.length} entries, n is ${n}` });
        return;
      }
      try {
        createWindow(q, w);
      } catch (e) {
        // A full metric is written as rows: a flat index S[k] becomes S[i][j].
        let msg = messageOf(e).replace(/^window\./, `${path}.`);
        if (w.metric === 'full') msg = msg.replace(/^([^:]*\.S)\[(\d+)\]/, (_, head: string, k: string) => `${head}[${Math.floor(Number(k) / n)}][${Number(k) % n}]`);
        issues.push(issueFromMessage(msg, path));
        return;
      }
      if (w.metric === 'full' && !isPsd(w.S as number[], n)) issues.push({ path: `${path}.S`, rule: 'the full metric is not positive semi-definite' });
    }),
  );

  // Operators: host precomputation, then the engine's factory.
  model.operators.forEach((spec, k) => {
    const path = `operators[${k}]`;
    const kind = Object.prototype.hasOwnProperty.call(kinds, spec.kind) ? kinds[spec.kind] : undefined;
    if (kind?.precompute) {
      try {
        const params = Object.fromEntries(Object.entries(spec).filter(([key]) => key !== 'kind')) as Record<string, ParamValue>;
        const extra = kind.precompute({ n, f, path, params, json: opJson[k], model });
        for (const [key, value] of Object.entries(extra)) {
          if (key in spec) throw new Error(`${path}.${key}: the precomputation returned a parameter the model already gives`);
          spec[key] = value;
        }
      } catch (e) {
        issues.push(issueFromMessage(messageOf(e), path));
        return;
      }
    }
    const factory = Object.prototype.hasOwnProperty.call(table, spec.kind) ? table[spec.kind] : undefined;
    if (!factory) {
      warnings.push({ path: `${path}.kind`, rule: `${show(spec.kind)} is not a built-in operator: its parameters are stored as given (Q values unless written raw) for a firmware operator` });
      return;
    }
    try {
      factory(createQ(f), n, spec, path);
    } catch (e) {
      issues.push(issueFromMessage(messageOf(e), path));
    }
  });
  if (issues.length > 0) throw new ModelError(issues);
  return x0 === undefined ? { model, warnings } : { model, warnings, x0 };
}

/** A window, converted; a full metric's rows flattened row-major. */
function convertWindow(c: Converter, path: string, w: WindowJson, n: number): { metric: 'diagonal' | 'full'; mu: number[]; S: number[]; eps: number } {
  const mu = c.qvec(`${path}.mu`, w.mu);
  let S: number[];
  if (w.metric === 'full') {
    const rows = w.S as QValue[][];
    if (rows.length !== n) c.issues.push({ path: `${path}.S`, rule: `has ${rows.length} rows, n is ${n}` });
    rows.forEach((row, i) => {
      if (row.length !== n) c.issues.push({ path: `${path}.S[${i}]`, rule: `row has ${row.length} entries, n is ${n}` });
    });
    S = c.qmat(`${path}.S`, rows).flat();
  } else {
    S = c.qvec(`${path}.S`, w.S as QValue[]);
  }
  return { metric: w.metric, mu, S, eps: c.q(`${path}.eps`, w.eps) };
}
