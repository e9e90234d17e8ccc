/**
 * The Matrioshka engine (SPEC 2, 8, 9): created once from a model, it
 * allocates every buffer up front; `step()` then evolves the state through
 * the nested shells without allocating, throwing or producing NaN.
 *
 * Lifetimes, as TinyMPC splits them: model tables (read-only after load,
 * except gardened offsets), workspace (scratch of one step), state, and the
 * boundary record.
 */
import { caqBindNormals, caqReset, createCaqState, caqStep, CaqStepResult, STEP_FROZEN, type CaqState } from '../caq/index.js';
import { createEventRing, eventPush, eventRingInit } from '../caq/fossil.js';
import { dot } from '../linalg/matvec.js';
import { Flag, INT32_MAX, INT32_MIN, createQ, type QContext } from '../fixed/q.js';
import { sub } from '../fixed/arith.js';
import { classify, createClassifyResult, createPolytope, PointKind, type ClassifyResult, type Polytope } from '../geometry/polytope.js';
import { createGeometryWork, type GeometryWork } from '../geometry/work.js';
import { quantizeInPolytope, quantizeLattice, QuantizeStatus } from '../geometry/quantize.js';
import { createWindow, inWindow, type Window } from '../geometry/window.js';
import { createCrtIndex, familyOfResidues, shiftResidues, toIndex, toResidues, UNDEFINED_INDEX, type CrtIndex } from '../index/crt.js';
import { restoreFossilRecord, saveFossilRecord, type FossilResult, type FossilState } from '../model/fossil-record.js';
import { CRC32_INIT, crc32Final, crc32Words } from '../wire/crc32.js';
import { createBoundaryRecord, createStateRing, fillHistory, fillStress, ringClear, ringPush, type BoundaryRecord, type StateRing } from './boundary.js';
import { EngineEvent, Reason, Result, Summary } from './codes.js';
import { chiralGate, createGateWork, nonCommutativity, pas, type GateWork } from './gates.js';
import type { ModelSpec } from './model.js';
import { Verdict, type Operator, type OperatorTable, type StepContext } from './operator.js';
import { builtinOperators } from './operators/index.js';
import { checkModel } from './validate.js';
import { createTensorWork, finiteDifferences, jacobianOnDirections, Lookahead, taylorLookahead, TensorStatus, type TensorF, type TensorWork } from '../tensor/index.js';

/** One polytope of one family at one level, with its CAQ state and facet pressure. */
interface Shell {
  readonly P: Polytope;
  readonly caq: CaqState;
  /** m, Q: facet pressure memory u (SPEC 2). */
  readonly u: Int32Array;
  /** m x r: residue shift of each facet to the adjacent family. */
  readonly shifts: Int32Array;
  /** m: 1 if the facet names an adjacent family. */
  readonly hasShift: Uint8Array;
  /** m, Q: the model's offsets (P.b is gardened in place; reset restores it). */
  readonly b0: Int32Array;
  /** m: consecutive steps of high pressure without settling (schism counter, SPEC 7). */
  readonly schismCount: Int32Array;
  /** The CRT index of the shell's family. */
  readonly family: number;
  /** Its level. */
  readonly level: number;
}

/** `tryLevel` outcomes other than a Result code. */
const NEXT = 0;
const STOP = -1;

const EVENT_RING_CAPACITY = 64;
/** Most steps the crossing look-ahead follows (taylorLookahead's tMax limit). */
const LOOKAHEAD_T_MAX = 1024;
const SEARCH_CAP_DEFAULT = 64;
const PRESSURE_LEAK_DEFAULT = 4;

export class Engine {
  // Model tables.
  readonly q: QContext;
  readonly n: number;
  /** L + 1. */
  readonly levels: number;
  readonly crt: CrtIndex;
  /** CRT index of the model's first family (the default alpha). */
  private readonly firstIndex: number;
  /** families x levels shells, row-major by family id. */
  private readonly shells: Shell[];
  private readonly windows: Window[][];
  private readonly beta: Int32Array;
  private readonly tol: Int32Array;
  private readonly tau: Int32Array;
  readonly operators: Operator[];
  private readonly gateOmega: Int32Array | null;
  private readonly gateChi: Int32Array | null;
  private readonly theta: number;
  private readonly epsPas: number;
  private readonly kMax: number;
  private readonly tPromote: number;
  private readonly tComm: number;
  private readonly searchCap: number;
  private readonly pressureLeak: number;
  /** L + 1: each level's finite-difference order (SPEC 11), 0 = none. */
  private readonly orders: Int32Array;

  // State.
  /** n, Q: the state x. Read-only for callers. */
  readonly x: Int32Array;
  /** r: the CRT residues alpha. Read-only for callers. */
  readonly alpha: Int32Array;
  /** Matrioshka depth 0..L. */
  level = 0;
  /** Steps taken since reset (wraps to 0 after 2^31 - 1). */
  stepIndex = 0;
  /** Sticky status word: OR of the Flag bits of every step since reset. */
  status = 0;
  /** PAS of the previous step, Q. */
  pasPrev = 0;
  /** Consecutive stable steps at the current level (promotion). */
  stableSteps = 0;
  /** Energy of the last `summarize` that returned OK, Q. */
  energy = 0;
  /** Events (fossilized, switched, promoted, popped): a ring, see caq/fossil.ts. */
  readonly events: Int32Array;
  /** Filled when a step returns BOUNDARY. */
  readonly record: BoundaryRecord;
  /**
   * Look-ahead of the last step (SPEC 11): when it was GRAZING at a level
   * with `order` > 0, the predicted number of steps until the dynamics reach
   * the most binding active facet (slack <= 0), 1..min(T_promote, 1024);
   * 0 = no crossing predicted (or no look-ahead this step); -1 = unknown.
   */
  crossingIn = 0;

  // Workspace.
  private readonly ctx: StepContext;
  private readonly geo: GeometryWork;
  private readonly cls: ClassifyResult;
  private readonly z: Int32Array;
  private readonly xq: Int32Array;
  private readonly y: Int32Array;
  private readonly yq: Int32Array;
  private readonly tmp: Int32Array;
  private readonly deltaEff: Int32Array;
  private readonly alphaNext: Int32Array;
  private readonly volatileAxes: Uint8Array;
  private readonly gate: GateWork;
  private readonly ring: StateRing;
  private summaryBlocked = false;
  /** Why the last level attempt refused (a Reason). */
  private refusal: number = Reason.EXTERIOR;
  /** The first operator's own facet pressure (ADMM's y), or null. */
  private readonly dual: Int32Array | null;
  /** Higher-order terms: null when every level has order 0. */
  private readonly tensor: TensorWork | null;
  /** F for the tensor work: the operator sequence quantized with `deltaEff` (created once). */
  private readonly tensorF: TensorF;
  /** K_max, Q units: the step h_k along each direction of a tensor call. */
  private readonly tensorSteps: Int32Array;

  constructor(model: ModelSpec, table: OperatorTable) {
    checkModel(model);
    const q = createQ(model.f ?? 16);
    const n = model.n;
    const L1 = model.levels.length;
    this.q = q;
    this.n = n;
    this.levels = L1;
    const r = model.moduli.length;
    this.crt = createCrtIndex(model.moduli, model.families.map((fam, k) => ({ index: fam.index, family: k })));
    this.firstIndex = model.families[0].index;
    this.kMax = model.kMax;
    this.tPromote = model.tPromote;
    this.tComm = model.tComm;
    this.searchCap = model.searchCap ?? SEARCH_CAP_DEFAULT;
    this.pressureLeak = model.pressureLeak ?? PRESSURE_LEAK_DEFAULT;

    let mMax = 1;
    this.shells = [];
    for (let k = 0; k < model.families.length; k++) {
      const fam = model.families[k];
      for (let l = 0; l < L1; l++) {
        const spec = fam.levels[l];
        const m = spec.A.length;
        if (m > mMax) mMax = m;
        const P = createPolytope(m, n, Int32Array.from(spec.A.flat()), Int32Array.from(spec.b));
        const caq = createCaqState(m, n, L1, { ...model.caq, f: q.f, bMin: spec.bMin ?? spec.b, bMax: spec.bMax ?? spec.b });
        caqBindNormals(caq, P.A);
        const shifts = new Int32Array(m * r);
        const hasShift = new Uint8Array(m);
        for (let i = 0; i < m; i++) {
          const s = spec.shifts?.[i];
          if (s) {
            hasShift[i] = 1;
            for (let t = 0; t < r; t++) shifts[i * r + t] = s[t];
          }
        }
        this.shells.push({ P, caq, u: new Int32Array(m), shifts, hasShift, b0: Int32Array.from(P.b), schismCount: new Int32Array(m), family: fam.index, level: l });
      }
    }
    this.windows = model.levels.map((lv) => (lv.windows ?? []).map((w) => createWindow(q, w)));
    this.beta = Int32Array.from(model.levels.map((lv) => lv.beta));
    this.tol = Int32Array.from(model.levels.map((lv) => lv.tol));
    this.tau = Int32Array.from(model.levels.map((lv) => lv.tau));
    this.orders = Int32Array.from(model.levels.map((lv) => lv.order ?? 0));
    this.operators = model.operators.map((spec, k) => {
      const factory = table[spec.kind];
      if (!factory) throw new RangeError(`operators[${k}].kind: unknown operator '${spec.kind}' (known: ${Object.keys(table).join(', ')})`);
      return factory(q, n, spec, `operators[${k}]`);
    });
    this.dual = this.operators.find((op) => op.facetPressure !== undefined)?.facetPressure ?? null;
    const g = model.gates;
    this.gateOmega = g ? Int32Array.from(g.omega) : null;
    this.gateChi = g ? Int32Array.from(g.chi) : null;
    this.theta = g ? g.theta : 0;
    this.epsPas = g ? g.epsPas : INT32_MAX;

    this.x = new Int32Array(n);
    this.alpha = new Int32Array(r);
    this.events = createEventRing(EVENT_RING_CAPACITY);
    this.record = createBoundaryRecord(n, r, this.kMax, this.operators.length, model.history);
    this.geo = createGeometryWork(mMax, n, this.kMax, this.searchCap);
    this.cls = createClassifyResult(mMax, this.kMax);
    this.z = new Int32Array(mMax);
    this.xq = new Int32Array(n);
    this.y = new Int32Array(n);
    this.yq = new Int32Array(n);
    this.tmp = new Int32Array(n);
    this.deltaEff = new Int32Array(n);
    this.alphaNext = new Int32Array(r);
    this.volatileAxes = new Uint8Array(n);
    this.gate = createGateWork(n, this.operators.length);
    this.ring = createStateRing(n, model.history);
    let maxOrder = 0;
    for (let l = 0; l < L1; l++) if (this.orders[l] > maxOrder) maxOrder = this.orders[l];
    this.tensor = maxOrder > 0 ? createTensorWork(n, this.kMax, maxOrder) : null;
    this.tensorSteps = new Int32Array(this.kMax);
    this.tensorF = (out: Int32Array, point: Int32Array): void => {
      out.set(point);
      this.applyOperators(out);
    };
    const first = this.shells[0];
    this.ctx = { q, n, level: 0, polytope: first.P, active: this.cls.active, activeCount: 0, chi: q.one >> 1, step: 0 };
  }

  /**
   * Sets the state (setup-time: validates and may throw). `alpha` defaults to
   * the residues of the first family's index, `level` to 0. Clears the
   * status word, pressures, statistics, events and history.
   */
  reset(x0: ArrayLike<number>, alpha?: ArrayLike<number>, level = 0): void {
    const { n, q } = this;
    if (x0.length !== n) throw new RangeError(`reset: x0 has ${x0.length} entries, n is ${n}`);
    for (let j = 0; j < n; j++) {
      const v = x0[j];
      if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) throw new RangeError(`reset: x0[${j}] = ${v} is not an int32`);
      this.x[j] = v;
    }
    if (!Number.isInteger(level) || level < 0 || level >= this.levels) throw new RangeError(`reset: level must be 0..${this.levels - 1}, got ${level}`);
    if (alpha) {
      if (alpha.length !== this.alpha.length) throw new RangeError(`reset: alpha has ${alpha.length} residues, the model has ${this.alpha.length} moduli`);
      for (let t = 0; t < alpha.length; t++) this.alpha[t] = alpha[t];
      if (toIndex(this.crt, this.alpha) === UNDEFINED_INDEX) throw new RangeError(`reset: alpha [${Array.from(alpha).join(', ')}] is not a residue vector of the moduli`);
    } else {
      toResidues(this.alpha, this.crt, this.firstIndex);
    }
    this.level = level;
    this.stepIndex = 0;
    this.status = 0;
    this.stableSteps = 0;
    this.crossingIn = 0;
    this.summaryBlocked = false;
    q.flags = 0;
    for (const s of this.shells) {
      s.u.fill(0);
      s.schismCount.fill(0);
      s.P.b.set(s.b0);
      caqReset(s.caq);
    }
    for (const op of this.operators) op.reset?.();
    this.pasPrev = this.gateOmega ? pas(q, this.x, this.gateOmega, n) : q.one;
    eventRingInit(this.events);
    ringClear(this.ring);
    this.record.reason = Reason.NONE;
  }

  /** The pressure u of the current family's polytope at the current level (live view). */
  get u(): Int32Array {
    const fam = familyOfResidues(this.crt, this.alpha);
    return this.shells[(fam < 0 ? 0 : fam) * this.levels + this.level].u;
  }

  /**
   * One Matrioshka step (SPEC 8). Returns a `Result` code, with
   * `Result.SATURATED_BIT` set if any value saturated. Never allocates,
   * throws, or writes a non-integer; on BOUNDARY the state is unchanged
   * and `record` says why.
   */
  step(): number {
    const q = this.q;
    const n = this.n;
    const x = this.x;
    const ctx = this.ctx;
    q.flags = 0;
    // Wraps to 0 after 2^31 - 1 steps (24 days at 1 kHz) rather than leave int32.
    const stepIndex = (this.stepIndex = this.stepIndex === INT32_MAX ? 0 : this.stepIndex + 1);
    ctx.step = stepIndex;
    this.crossingIn = 0;

    // Gates: phase alignment and chirality (SPEC 8).
    let pasNow = q.one;
    if (this.gateOmega !== null && this.gateChi !== null) {
      pasNow = pas(q, x, this.gateOmega, n);
      ctx.chi = chiralGate(q, x, this.gateChi, n);
      const jump = pasNow > this.pasPrev ? pasNow - this.pasPrev : this.pasPrev - pasNow;
      const closed = pasNow < this.theta || jump > this.epsPas;
      this.pasPrev = pasNow;
      if (closed) return this.finish(Result.SILENT);
    }

    const fam = familyOfResidues(this.crt, this.alpha);
    if (fam === UNDEFINED_INDEX) return this.boundary(Reason.UNDEFINED_INDEX, this.shells[0], pasNow);

    // Non-commutativity every T_comm steps: marks axes VOLATILE, blocks summaries.
    const volatileAxes = this.volatileAxes;
    volatileAxes.fill(0);
    this.summaryBlocked = false;
    if (this.tComm > 0 && stepIndex % this.tComm === 0 && this.operators.length > 1) {
      const shell = this.shells[fam * this.levels + this.level];
      classify(q, this.cls, shell.P, x, this.beta[this.level], this.kMax);
      ctx.level = this.level;
      ctx.polytope = shell.P;
      ctx.activeCount = this.cls.listed;
      if (nonCommutativity(q, this.record.kappa, this.operators, x, ctx, this.gate, this.tau[this.level], volatileAxes) > 0) {
        this.summaryBlocked = true;
      }
    }

    const start = this.stableSteps >= this.tPromote && this.level + 1 < this.levels ? this.level + 1 : this.level;
    this.refusal = Reason.EXTERIOR;
    let lastShell = this.shells[fam * this.levels + start];
    let code = 0;
    for (let l = start; l >= 0; l--) {
      const shell = this.shells[fam * this.levels + l];
      lastShell = shell;
      code = this.tryLevel(shell, l);
      if (code > 0) {
        code = this.commit(code, l, shell);
        break;
      }
      if (code === STOP) break;
    }
    if (code <= 0) code = this.boundary(this.refusal, lastShell, pasNow);
    this.schism(lastShell);
    return code;
  }

  /**
   * Schism (SPEC 7): a facet whose pressure stays above the fossil pressure
   * while its variance stays at or above the fossil variance (it is pressed
   * but does not settle, so it cannot fossilize) for `fossilSteps`
   * consecutive steps moves the index to the adjacent family the facet
   * names, if that family exists and its polytope at the current level
   * admits the state. Event SCHISM (id = new index); the counter restarts.
   */
  private schism(shell: Shell): void {
    const st = shell.caq;
    const u = shell.u;
    const counts = shell.schismCount;
    const m = shell.P.m;
    const p = st.fossilPressure;
    let facet = -1;
    for (let i = 0; i < m; i++) {
      const ui = u[i];
      const pressed = ui > p || ui < 0 - p;
      if (shell.hasShift[i] === 0 || st.fossil[i] !== 0 || !pressed || st.variance[i] < st.fossilVar) {
        counts[i] = 0;
        continue;
      }
      if (counts[i] < st.fossilSteps) counts[i]++;
      if (counts[i] >= st.fossilSteps && facet < 0) facet = i;
    }
    if (facet < 0) return;
    counts[facet] = 0;
    if (this.adjacent(shell, facet, this.x, this.level) !== Reason.NONE) return;
    this.alpha.set(this.alphaNext);
    eventPush(this.events, EngineEvent.SCHISM, toIndex(this.crt, this.alpha), this.stepIndex);
  }

  /**
   * Steps 1-3 of SPEC 8 at level l. Returns a Result code when the level
   * admits the state (the candidate is in `yq`); otherwise sets `refusal`
   * and returns NEXT (try the next outer level) or STOP (a boundary now:
   * saturation, or a switch the adjacent family does not admit).
   */
  private tryLevel(shell: Shell, l: number): number {
    const q = this.q;
    const n = this.n;
    const x = this.x;
    const P = shell.P;
    const cls = this.cls;
    const beta = this.beta[l];
    this.refusal = Reason.EXTERIOR;
    if (!this.inLevelWindows(l, x)) return NEXT;
    classify(q, cls, P, x, beta, this.kMax);
    if (cls.kind === PointKind.EXTERIOR) return NEXT;

    // CAQ: statistics of <n_i, x> = b_i - s_i, classes, steps of level l, gardening.
    const m = P.m;
    const z = this.z;
    for (let i = 0; i < m; i++) z[i] = sub(q, P.b[i], cls.slack[i]);
    const caqResult = caqStep(q, shell.caq, z, shell.u, P.b, l, this.stepIndex, this.events, null, this.volatileAxes);
    const delta = shell.caq.delta;
    const deltaEff = this.deltaEff;
    effectiveSteps(deltaEff, delta, n);

    // xq = Q(x); y = F(xq), quantized between operators.
    const ctx = this.ctx;
    ctx.level = l;
    ctx.polytope = P;
    ctx.activeCount = cls.listed;
    const xq = this.xq;
    const y = this.y;
    quantizeLattice(q, xq, x, deltaEff);
    y.set(xq);
    const flagsBefore = q.flags;
    q.flags = 0;
    const verdict = this.applyOperators(y);
    const saturated = q.flags & Flag.SATURATED;
    q.flags |= flagsBefore;
    if (saturated !== 0) {
      // A clamped value is not an honest number: refuse rather than commit it.
      this.refusal = Reason.SATURATED;
      return STOP;
    }
    if (verdict === Verdict.INFEASIBLE) {
      this.refusal = Reason.INFEASIBLE;
      return STOP;
    }
    if ((caqResult & CaqStepResult.FROZEN) !== 0) {
      for (let j = 0; j < n; j++) if (delta[j] === STEP_FROZEN) y[j] = x[j];
    }

    // Where did F land? Pressure accumulates on facets the dynamics push
    // through; beyond the band this level does not admit the step (pop outward).
    classify(q, cls, P, y, beta, this.kMax);
    this.pressure(shell, cls);
    if ((cls.kind as PointKind) === PointKind.EXTERIOR) return NEXT;
    const yq = this.yq;
    if (quantizeInPolytope(q, yq, P, y, deltaEff, this.searchCap, this.geo) !== QuantizeStatus.OK) {
      this.refusal = Reason.PROJECTION_UNDEFINED;
      return NEXT;
    }
    classify(q, cls, P, yq, beta, this.kMax);
    if (verdict === Verdict.CONVERGED) return Result.CONVERGED;
    if (verdict === Verdict.CYCLE) return Result.CYCLE;
    if (cls.kind === PointKind.INTERIOR) {
      return withinTol(yq, xq, n, this.tol[l]) ? Result.FIXED : Result.MOVED;
    }
    // FACET: grazing; a listed facet that names an adjacent family switches.
    for (let k = 0; k < cls.listed; k++) {
      const i = cls.active[k];
      if (shell.hasShift[i] === 0) continue;
      return this.trySwitch(shell, i, l);
    }
    if (this.orders[l] > 0) this.lookahead(shell, l);
    return Result.GRAZING;
  }

  /**
   * Applies the operator sequence F to `y` in place, quantizing after each
   * operator with the current `deltaEff` (SPEC 8: the order is kept). Uses
   * `tmp` as scratch and the step context as set by the caller. Returns the
   * last non-NONE `Verdict` of an iterative operator (NONE if there is none).
   * Shared by the step and the tensor work's F. Allocates nothing.
   */
  private applyOperators(y: Int32Array): number {
    const q = this.q;
    const tmp = this.tmp;
    const deltaEff = this.deltaEff;
    const ctx = this.ctx;
    const ops = this.operators;
    let verdict: number = Verdict.NONE;
    for (let k = 0; k < ops.length; k++) {
      const op = ops[k];
      op.apply(tmp, y, ctx);
      quantizeLattice(q, y, tmp, deltaEff);
      const v = op.verdict;
      if (v !== undefined && v !== Verdict.NONE) verdict = v;
    }
    return verdict;
  }

  /**
   * Fills `tensorSteps[0..K)` with the step h_k of each direction: the
   * `deltaEff` of the axis on which the facet normal `rows[k]` of `A`
   * weighs most (the first such axis), as CAQ assigns steps to facets.
   */
  private directionSteps(A: Int32Array, rows: Int32Array, K: number): void {
    const n = this.n;
    for (let k = 0; k < K; k++) {
      const base = rows[k] * n;
      let best = 0;
      let bestMag = -1;
      for (let j = 0; j < n; j++) {
        const a = A[base + j];
        const mag = a < 0 ? ~a : a; // |a| - 1 for a < 0: no overflow at INT32_MIN
        if (mag > bestMag) {
          bestMag = mag;
          best = j;
        }
      }
      this.tensorSteps[k] = this.deltaEff[best];
    }
  }

  /**
   * Look-ahead of a GRAZING step at level l (order > 0): the differences of F
   * at the candidate `yq` along the normal of the most binding listed facet
   * i (order of the level), then `taylorLookahead` to the facet itself
   * (band 0) for at most min(T_promote, 1024) steps, into `crossingIn`.
   * `q.flags` are kept as they were (a failed prediction is not a
   * saturation of the step). Allocates nothing.
   */
  private lookahead(shell: Shell, l: number): void {
    const work = this.tensor;
    const cls = this.cls;
    if (work === null || cls.listed < 1) {
      this.crossingIn = Lookahead.UNKNOWN;
      return;
    }
    const q = this.q;
    const P = shell.P;
    const i = cls.active[0];
    const flagsBefore = q.flags;
    this.directionSteps(P.A, cls.active, 1);
    const status = finiteDifferences(q, work, this.tensorF, this.yq, P.A, cls.active, 1, this.tensorSteps, this.orders[l]);
    const tMax = this.tPromote < LOOKAHEAD_T_MAX ? this.tPromote : LOOKAHEAD_T_MAX;
    this.crossingIn = status === TensorStatus.OK ? taylorLookahead(q, work, P.A, i * this.n, P.b[i], this.yq, 0, 0, tMax) : Lookahead.UNKNOWN;
    q.flags = flagsBefore;
  }

  /**
   * The Jacobian / curvature terms of the boundary record (SPEC 9, 11) at
   * `rec.x` along the listed active facet normals of `shell`, with the
   * shell's steps (`rec.delta`, frozen axes as 1) and the level's order;
   * zeroed when the order is 0, nothing is listed or a value saturated.
   * `q.flags` are kept as they were. Allocates nothing.
   */
  private fillTensorTerms(shell: Shell): void {
    const rec = this.record;
    const work = this.tensor;
    const order = this.orders[shell.level];
    const K = rec.activeCount;
    rec.jacobian.fill(0);
    rec.curvature.fill(0);
    rec.jacobianSteps.fill(0);
    if (work === null || order === 0 || K < 1) return;
    const q = this.q;
    const n = this.n;
    const delta = shell.caq.delta;
    const deltaEff = this.deltaEff;
    effectiveSteps(deltaEff, delta, n);
    const ctx = this.ctx;
    ctx.level = shell.level;
    ctx.polytope = shell.P;
    ctx.activeCount = this.cls.listed;
    const flagsBefore = q.flags;
    this.directionSteps(shell.P.A, rec.active, K);
    let status = finiteDifferences(q, work, this.tensorF, rec.x, shell.P.A, rec.active, K, this.tensorSteps, order);
    if (status === TensorStatus.OK) status = jacobianOnDirections(q, work, shell.P.A, rec.active);
    q.flags = flagsBefore;
    if (status !== TensorStatus.OK) return;
    rec.jacobian.set(work.jacobian);
    rec.curvature.set(work.curvature);
    for (let k = 0; k < K; k++) rec.jacobianSteps[k] = work.steps[k];
  }

  /** Moves alpha by facet i's shift if the new family's polytope admits yq. */
  private trySwitch(shell: Shell, i: number, l: number): number {
    const reason = this.adjacent(shell, i, this.yq, l);
    if (reason === Reason.NONE) return Result.SWITCHED;
    this.refusal = reason;
    return STOP;
  }

  /**
   * The family that facet i of `shell` names (SPEC 10): its residues go
   * into `alphaNext`. Returns Reason.NONE when that family exists and its
   * polytope at level l admits `point`, else UNDEFINED_INDEX or EXTERIOR.
   * Shared by switching on a grazed facet and by schism.
   */
  private adjacent(shell: Shell, i: number, point: Int32Array, l: number): number {
    const r = this.alpha.length;
    const next = this.alphaNext;
    for (let t = 0; t < r; t++) next[t] = shell.shifts[i * r + t];
    shiftResidues(next, this.crt, this.alpha, next);
    const fam2 = familyOfResidues(this.crt, next);
    if (fam2 === UNDEFINED_INDEX) return Reason.UNDEFINED_INDEX;
    const cls = this.cls;
    classify(this.q, cls, this.shells[fam2 * this.levels + l].P, point, this.beta[l], this.kMax);
    return cls.kind === PointKind.EXTERIOR ? Reason.EXTERIOR : Reason.NONE;
  }

  /** Accepts yq at level l. */
  private commit(code: number, l: number, shell: Shell): number {
    ringPush(this.ring, this.x);
    this.x.set(this.yq);
    if (code === Result.SWITCHED) {
      this.alpha.set(this.alphaNext);
      eventPush(this.events, EngineEvent.SWITCHED, toIndex(this.crt, this.alpha), this.stepIndex);
    }
    if (l > this.level) {
      this.level = l;
      this.stableSteps = 0;
      eventPush(this.events, EngineEvent.PROMOTED, l, this.stepIndex);
    } else if (l < this.level) {
      this.level = l;
      this.stableSteps = 0;
      eventPush(this.events, EngineEvent.POPPED, l, this.stepIndex);
    } else if (this.volatileAxes.indexOf(1) < 0 && shell.caq.delta.indexOf(STEP_FROZEN) < 0 && this.crossingIn <= 0) {
      if (this.stableSteps < INT32_MAX) this.stableSteps++;
    } else {
      this.stableSteps = 0;
    }
    return this.finish(code);
  }

  /** Leaves x unchanged and fills the boundary record. */
  private boundary(reason: number, shell: Shell, pasNow: number): number {
    const rec = this.record;
    const q = this.q;
    rec.reason = reason;
    rec.step = this.stepIndex;
    rec.level = this.level;
    rec.alpha.set(this.alpha);
    rec.x.set(this.x);
    rec.delta.set(shell.caq.delta);
    rec.chi = this.ctx.chi;
    rec.pas = pasNow;
    classify(q, this.cls, shell.P, this.x, this.beta[shell.level], this.kMax);
    const listed = this.cls.listed;
    for (let k = 0; k < listed; k++) rec.active[k] = this.cls.active[k];
    rec.activeCount = listed;
    fillStress(q, rec, shell.P.A, this.n, shell.u);
    this.fillTensorTerms(shell);
    fillHistory(rec, this.ring);
    this.stableSteps = 0;
    return this.finish(Result.BOUNDARY);
  }

  private finish(code: number): number {
    const flags = this.q.flags;
    this.status |= flags;
    return (flags & Flag.SATURATED) !== 0 ? code | Result.SATURATED_BIT : code;
  }

  /**
   * Facet pressure memory: u_i leaks by u_i >> leak, then grows by how far
   * F pushed past facet i (max(0, -slack_i)), saturating. When an operator
   * keeps its own facet pressure for these facets (ADMM's dual y, SPEC 7),
   * u is a copy of it instead.
   */
  private pressure(shell: Shell, cls: ClassifyResult): void {
    const u = shell.u;
    const m = shell.P.m;
    const dual = this.dual;
    if (dual !== null && dual.length === m) {
      u.set(dual); // the operator's dual is the pressure (ADMM's y, SPEC 7)
      return;
    }
    const leak = this.pressureLeak;
    const slack = cls.slack;
    for (let i = 0; i < m; i++) {
      let ui = u[i] - (u[i] >> leak);
      const s = slack[i];
      if (s < 0) ui = s < 0 - INT32_MAX + ui ? INT32_MAX : ui - s;
      u[i] = ui;
    }
  }

  private inLevelWindows(l: number, x: Int32Array): boolean {
    const ws = this.windows[l];
    if (ws.length === 0) return true;
    for (let k = 0; k < ws.length; k++) if (inWindow(this.q, ws[k], x)) return true;
    return false;
  }

  /**
   * Scalar summary (SPEC 4): the energy sum_j x_j^2, Q, into `this.energy`.
   * Returns Summary.OK, or Summary.REFUSED outside every window of the
   * current level or in a step whose operators did not commute.
   */
  summarize(): number {
    if (this.summaryBlocked || !this.inLevelWindows(this.level, this.x)) return Summary.REFUSED;
    this.energy = dot(this.q, this.x, 0, this.x, 0, this.n, this.q.f);
    return Summary.OK;
  }

  /**
   * The fossil record (SPEC 12): fossilized facets, gardened offsets, index
   * and level as a small blob that survives a reboot. Host or load time
   * (allocates).
   */
  saveFossils(): Uint8Array {
    return saveFossilRecord(this.fossilState());
  }

  /**
   * Restores a fossil record, after `reset`: facets are matched by family,
   * level, id and the hash of their normal, so a model update that keeps a
   * facet keeps its fossil and offset. Nothing is written unless the whole
   * blob is valid (see `FossilResult.status`).
   */
  restoreFossils(blob: Uint8Array): FossilResult {
    return restoreFossilRecord(blob, this.fossilState());
  }

  /** The engine's own buffers as the fossil record sees them (a view, not a copy). */
  private fossilState(): FossilState {
    const engine = this;
    return {
      f: this.q.f,
      n: this.n,
      moduli: this.crt.moduli,
      alpha: this.alpha,
      get level() {
        return engine.level;
      },
      set level(l: number) {
        engine.level = l;
      },
      levels: this.levels,
      shells: this.shells.map((s) => ({ family: s.family, level: s.level, A: s.P.A, fossil: s.caq.fossil, b: s.P.b, bMin: s.caq.bMin, bMax: s.caq.bMax })),
    };
  }

  /** CRC-32 of the state: x, alpha, level and the current pressure (parity traces). */
  digest(): number {
    const words = this.tmp;
    let c = crc32Words(CRC32_INIT, this.x, this.n);
    c = crc32Words(c, this.alpha, this.alpha.length);
    words[0] = this.level;
    c = crc32Words(c, words, 1);
    const u = this.u;
    c = crc32Words(c, u, u.length);
    return crc32Final(c);
  }
}

/** The steps to quantize with: a frozen axis (STEP_FROZEN) gets step 1, the identity, and keeps x_j. */
function effectiveSteps(out: Int32Array, delta: Int32Array, n: number): void {
  for (let j = 0; j < n; j++) out[j] = delta[j] === STEP_FROZEN ? 1 : delta[j];
}

/** `|a_j - b_j| <= tol` for every j, without forming an overflowing difference. */
function withinTol(a: Int32Array, b: Int32Array, n: number, tol: number): boolean {
  for (let j = 0; j < n; j++) {
    const p = a[j];
    const r = b[j];
    const hi = p >= r ? p : r;
    const lo = p >= r ? r : p;
    // hi - lo overflows only when lo < 0 and hi > INT32_MAX + lo; then it exceeds any tol.
    if (lo < 0 && hi > INT32_MAX + lo) return false;
    if (hi - lo > tol) return false;
  }
  return true;
}

/**
 * Creates an engine from a model (setup time: validates with messages that
 * name the field, allocates everything, may throw). `operators` adds
 * firmware operators to, or replaces, the built-ins.
 */
export function createEngine(model: ModelSpec, operators: OperatorTable = builtinOperators): Engine {
  return new Engine(model, operators);
}
