/**
 * Shape checks of a model JSON (tools/model/types.ts), by hand: the types
 * and forms of every value, unknown and missing keys, and the few ranges
 * needed to read the rest (`f`, `n`). They mirror schema/model.schema.json
 * (a test runs both on the same examples); every issue is a JSON path and a
 * rule.
 *
 * What is left to the later stages, so that no rule is written twice:
 * lengths against n, m and the level count, value ranges of the settings
 * (the engine's checks, src/engine/validate.ts, CAQ, windows, CRT index,
 * run on the converted model), and the geometry (nesting, headroom).
 */
import { F_MAX, F_MIN, INT32_MAX, INT32_MIN } from '../../src/fixed/q.js';
import { MODEL_N_MAX, MODEL_ORDER_MAX } from '../../src/engine/validate.js';
import { show, type Issue } from './issues.js';

/** Names of operators and parameters: what the image can store. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;

/** Collects issues; every method returns whether the value passed. */
class Checker {
  readonly issues: Issue[] = [];

  fail(path: string, rule: string): false {
    this.issues.push({ path, rule });
    return false;
  }

  /** An object with `required` keys and no keys outside `required` and `optional`. */
  object(path: string, v: unknown, required: readonly string[], optional: readonly string[]): v is Record<string, unknown> {
    if (!isObject(v)) return this.fail(path, `must be an object, got ${show(v)}`);
    let ok = true;
    for (const key of required) if (!(key in v)) ok = this.fail(`${path === '' ? '' : `${path}.`}${key}`, 'is required');
    for (const key of Object.keys(v)) {
      if (!required.includes(key) && !optional.includes(key)) ok = this.fail(`${path === '' ? '' : `${path}.`}${key}`, `unknown field (known: ${[...required, ...optional].join(', ')})`);
    }
    return ok;
  }

  /** An integer in lo..hi. */
  int(path: string, v: unknown, lo = INT32_MIN, hi = INT32_MAX): v is number {
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(path, `must be an integer, got ${show(v)}`);
    if (v < lo || v > hi) return this.fail(path, `must be in ${lo}..${hi}, got ${v}`);
    return true;
  }

  /** A real number, or a raw int32 `{ "q": int }`. */
  qvalue(path: string, v: unknown): boolean {
    if (typeof v === 'number') return Number.isFinite(v) ? true : this.fail(path, `must be a finite number, got ${v}`);
    if (isObject(v)) {
      const keys = Object.keys(v);
      if (keys.length !== 1 || keys[0] !== 'q') return this.fail(path, 'a raw value is written { "q": int32 } and nothing else');
      return isInt32(v.q) ? true : this.fail(`${path}.q`, `must be an int32 (raw Q units), got ${show(v.q)}`);
    }
    return this.fail(path, `must be a number or { "q": int32 }, got ${show(v)}`);
  }

  /** An array (length unchecked here). */
  array(path: string, v: unknown, minItems = 0): v is unknown[] {
    if (!Array.isArray(v)) return this.fail(path, `must be an array, got ${show(v)}`);
    if (v.length < minItems) return this.fail(path, `must have at least ${minItems} entr${minItems === 1 ? 'y' : 'ies'}, got ${v.length}`);
    return true;
  }

  /** An array of QValues. */
  qvector(path: string, v: unknown): boolean {
    if (!this.array(path, v)) return false;
    let ok = true;
    v.forEach((e, i) => {
      if (!this.qvalue(`${path}[${i}]`, e)) ok = false;
    });
    return ok;
  }

  /** An array of arrays of QValues (rows). */
  qmatrix(path: string, v: unknown): boolean {
    if (!this.array(path, v, 1)) return false;
    let ok = true;
    v.forEach((row, i) => {
      if (!this.qvector(`${path}[${i}]`, row)) ok = false;
    });
    return ok;
  }

  /** An array of integers. */
  ints(path: string, v: unknown, lo = INT32_MIN, hi = INT32_MAX): boolean {
    if (!this.array(path, v)) return false;
    let ok = true;
    v.forEach((e, i) => {
      if (!this.int(`${path}[${i}]`, e, lo, hi)) ok = false;
    });
    return ok;
  }

  /** Per facet null or a residue shift (integers >= 0). */
  shifts(path: string, v: unknown): boolean {
    if (!this.array(path, v)) return false;
    let ok = true;
    v.forEach((s, i) => {
      if (s !== null && !this.ints(`${path}[${i}]`, s, 0, INT32_MAX)) ok = false;
    });
    return ok;
  }

  /** A string that the image can store as a name. */
  name(path: string, v: unknown): boolean {
    if (typeof v !== 'string') return this.fail(path, `must be a string, got ${show(v)}`);
    if (!NAME_PATTERN.test(v) || v.startsWith('__')) {
      return this.fail(path, `must be 1..63 characters [A-Za-z0-9_-], starting with a letter or '_' (not '__'), got ${show(v)}`);
    }
    return true;
  }
}

const TOP_REQUIRED = ['n', 'moduli', 'families', 'levels', 'operators', 'caq', 'kMax', 'tPromote', 'tComm', 'history'];
const TOP_OPTIONAL = ['$schema', 'name', 'description', 'x0', 'f', 'gates', 'searchCap', 'projectIters', 'pressureLeak'];
const POLYTOPE_REQUIRED = ['A', 'b'];
const POLYTOPE_OPTIONAL = ['shifts', 'bMin', 'bMax'];
const SHARPEN_OPTIONAL = ['R', 'shifts', 'bMin', 'bMax'];
const CAQ_Q = ['varInit', 'trustVar', 'trustPressure', 'volatileVar', 'deltaMin', 'deltaMid', 'deltaMax', 'fossilVar', 'fossilPressure'];
const CAQ_INT = ['rateShift', 'scheduleShift', 'fossilSteps', 'gardenPeriod', 'gardenGain', 'gardenShift'];
const GATES_FIELDS = ['omega', 'theta', 'epsPas', 'chi'];

function checkShell(c: Checker, path: string, v: unknown): void {
  if (isObject(v) && 'sharpen' in v) {
    if (!c.object(path, v, ['sharpen'], [])) return;
    const s = v.sharpen;
    const sp = `${path}.sharpen`;
    if (!c.object(sp, s, ['eps'], SHARPEN_OPTIONAL)) return;
    if (Array.isArray(s.eps)) c.qvector(`${sp}.eps`, s.eps);
    else c.qvalue(`${sp}.eps`, s.eps);
    if (s.R !== undefined) c.qmatrix(`${sp}.R`, s.R);
    if (s.shifts !== undefined) c.shifts(`${sp}.shifts`, s.shifts);
    if (s.bMin !== undefined) c.qvector(`${sp}.bMin`, s.bMin);
    if (s.bMax !== undefined) c.qvector(`${sp}.bMax`, s.bMax);
    return;
  }
  if (!c.object(path, v, POLYTOPE_REQUIRED, POLYTOPE_OPTIONAL)) return;
  c.qmatrix(`${path}.A`, v.A);
  c.qvector(`${path}.b`, v.b);
  if (v.shifts !== undefined) c.shifts(`${path}.shifts`, v.shifts);
  if (v.bMin !== undefined) c.qvector(`${path}.bMin`, v.bMin);
  if (v.bMax !== undefined) c.qvector(`${path}.bMax`, v.bMax);
}

function checkWindow(c: Checker, path: string, v: unknown): void {
  if (!c.object(path, v, ['metric', 'mu', 'S', 'eps'], [])) return;
  if (v.metric !== 'diagonal' && v.metric !== 'full') c.fail(`${path}.metric`, `must be "diagonal" or "full", got ${show(v.metric)}`);
  c.qvector(`${path}.mu`, v.mu);
  c.qvalue(`${path}.eps`, v.eps);
  if (v.metric === 'full') {
    if (Array.isArray(v.S) && v.S.length > 0 && !Array.isArray(v.S[0])) c.fail(`${path}.S`, 'a full metric is written as n rows of n entries');
    else c.qmatrix(`${path}.S`, v.S);
  } else if (Array.isArray(v.S) && v.S.some((e) => Array.isArray(e))) {
    c.fail(`${path}.S`, 'a diagonal metric is written as its n diagonal entries');
  } else {
    c.qvector(`${path}.S`, v.S);
  }
}

/** A parameter value: QValue, vector of QValues, or matrix (rows of QValues). */
function checkParam(c: Checker, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    c.qvalue(path, v);
    return;
  }
  if (v.length > 0 && v.every((e) => Array.isArray(e))) {
    c.qmatrix(path, v);
    return;
  }
  if (v.some((e) => Array.isArray(e))) {
    c.fail(path, 'must be a number, a list of numbers, or a matrix (a list of rows), not a mix');
    return;
  }
  c.qvector(path, v);
}

/**
 * Checks the types and forms of a model JSON. Returns every issue found
 * (empty: the JSON has the model's shape; lengths and ranges are checked
 * after conversion).
 */
export function checkModelJson(json: unknown): Issue[] {
  const c = new Checker();
  if (!isObject(json)) return [{ path: 'model', rule: `must be a JSON object, got ${show(json)}` }];
  // Missing and unknown top-level fields are reported; the fields present are checked on.
  c.object('', json, TOP_REQUIRED, TOP_OPTIONAL);
  const m = json as Record<string, unknown>;
  if (m.$schema !== undefined && typeof m.$schema !== 'string') c.fail('$schema', `must be a string, got ${show(m.$schema)}`);
  if (m.name !== undefined && typeof m.name !== 'string') c.fail('name', `must be a string, got ${show(m.name)}`);
  if (m.description !== undefined && typeof m.description !== 'string') c.fail('description', `must be a string, got ${show(m.description)}`);
  if (m.x0 !== undefined) c.qvector('x0', m.x0);
  if (m.n !== undefined) c.int('n', m.n, 1, MODEL_N_MAX);
  if (m.f !== undefined) c.int('f', m.f, F_MIN, F_MAX);
  if (m.moduli !== undefined) c.ints('moduli', m.moduli);
  for (const key of ['kMax', 'tPromote', 'tComm', 'history', 'searchCap', 'projectIters', 'pressureLeak']) {
    if (m[key] !== undefined) c.int(key, m[key]);
  }

  if (m.families !== undefined && c.array('families', m.families, 1)) {
    m.families.forEach((fam, k) => {
      const p = `families[${k}]`;
      if (!c.object(p, fam, ['levels'], ['index', 'residues'])) return;
      if (fam.index !== undefined && fam.residues !== undefined) c.fail(p, 'give index or residues, not both');
      else if (fam.index === undefined && fam.residues === undefined) c.fail(`${p}.index`, 'is required (or residues)');
      if (fam.index !== undefined) c.int(`${p}.index`, fam.index);
      if (fam.residues !== undefined) c.ints(`${p}.residues`, fam.residues);
      if (c.array(`${p}.levels`, fam.levels, 1)) fam.levels.forEach((s, l) => checkShell(c, `${p}.levels[${l}]`, s));
    });
  }

  if (m.levels !== undefined && c.array('levels', m.levels, 1)) {
    m.levels.forEach((lv, l) => {
      const p = `levels[${l}]`;
      if (!c.object(p, lv, ['beta', 'tol', 'tau'], ['windows', 'order'])) return;
      c.qvalue(`${p}.beta`, lv.beta);
      c.qvalue(`${p}.tol`, lv.tol);
      c.qvalue(`${p}.tau`, lv.tau);
      if (lv.order !== undefined) c.int(`${p}.order`, lv.order, 0, MODEL_ORDER_MAX);
      if (lv.windows !== undefined && c.array(`${p}.windows`, lv.windows)) {
        lv.windows.forEach((w, k) => checkWindow(c, `${p}.windows[${k}]`, w));
      }
    });
  }

  if (m.operators !== undefined && c.array('operators', m.operators)) {
    m.operators.forEach((op, k) => {
      const p = `operators[${k}]`;
      if (!isObject(op)) {
        c.fail(p, `must be an object with a kind, got ${show(op)}`);
        return;
      }
      if (op.kind === undefined) c.fail(`${p}.kind`, 'is required');
      else c.name(`${p}.kind`, op.kind);
      for (const [key, value] of Object.entries(op)) {
        if (key === 'kind') continue;
        if (c.name(`${p}.${key}`, key)) checkParam(c, `${p}.${key}`, value);
      }
    });
  }

  if (m.gates !== undefined && c.object('gates', m.gates, GATES_FIELDS, [])) {
    const g = m.gates;
    c.qvector('gates.omega', g.omega);
    c.qvector('gates.chi', g.chi);
    c.qvalue('gates.theta', g.theta);
    c.qvalue('gates.epsPas', g.epsPas);
  }

  if (m.caq !== undefined && c.object('caq', m.caq, [...CAQ_Q, ...CAQ_INT, 'stableVar'], [])) {
    const q = m.caq;
    for (const key of CAQ_Q) c.qvalue(`caq.${key}`, q[key]);
    for (const key of CAQ_INT) c.int(`caq.${key}`, q[key]);
    c.qvector('caq.stableVar', q.stableVar);
  }
  return c.issues;
}
