/**
 * Quantization (SPEC 3, SPEC 5): per-axis lattice rounding and the
 * facet-aware quantizer `Q_P`, the lattice point nearest to x inside P.
 *
 * The lattice of steps `Delta` (per axis, positive integers of Q units) is
 * `{ (k_j Delta_j) : k integer }`. Rounding is `RNE(x_j / Delta_j) Delta_j`:
 * a shift for a power-of-two step, an exact long division otherwise.
 *
 * `Q_P` rounds first. If the rounded point is admissible (in P: no negative
 * slack) it is the answer: it is the nearest lattice point of all. Otherwise
 * a best-first search over lattice moves enumerates lattice points in order
 * of distance to x (exactly: squared distances are exact wide integers), so
 * the first admissible point it meets is the nearest one; it examines at
 * most `cap` candidates. If that finds nothing, a greedy repair walks along
 * the lattice toward feasibility (most violated facet first), then shortens
 * the distance while staying admissible; its answer is admissible but not
 * proved nearest (`work.proved = 0`). If neither finds an admissible point:
 * NO_LATTICE_POINT, and `out` is untouched. An exterior point is never
 * returned: every answer is checked against every facet with exact slacks.
 *
 * Search tree: lattice offsets `o` from the rounded point, each generated
 * from one parent (the same offsets with the last nonzero axis one step
 * nearer 0), so no point is visited twice; a child is never nearer to x
 * than its parent (|e_j| <= Delta_j / 2), which makes best-first order
 * exact. A node stores its parent, its axis and offset there, its key and a
 * hint (the facet its parent violated, checked first).
 */
import { divRound } from '../fixed/div.js';
import { mulShift } from '../fixed/mul.js';
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';
import { dotAffine } from '../linalg/matvec.js';
import { classify, type Polytope } from './polytope.js';
import { projectDykstra } from './project.js';
import type { GeometryWork } from './work.js';

/** Result of `quantizeInPolytope`. */
export const QuantizeStatus = {
  /** `out` holds an admissible lattice point. */
  OK: 0,
  /** No admissible lattice point found within the cap (or unusable arguments): `out` untouched. */
  NO_LATTICE_POINT: 1,
} as const;
export type QuantizeStatus = (typeof QuantizeStatus)[keyof typeof QuantizeStatus];

/** Messages of `QuantizeStatus`, indexed by value. */
export const QUANTIZE_STATUS_MESSAGES: readonly string[] = [
  'quantized inside the polytope',
  'no admissible lattice point within the search cap',
];

/** `quantizeInPolytope` domain: |x_j| <= QP_X_MAX. */
export const QP_X_MAX = 1 << 30;
/** `quantizeInPolytope` domain: 1 <= Delta_j <= QP_DELTA_MAX. */
export const QP_DELTA_MAX = 1 << 24;
/** Largest offset, in steps, the repair explores on one axis. */
export const QP_OFFSET_MAX = 63;

/**
 * `RNE(x / delta) * delta`: x rounded to the nearest multiple of `delta`.
 *
 * - Domain: any int32 `x`; `delta >= 1` (a power of two takes a shift, any
 *   other step an exact long division). `delta <= 0` ORs `Flag.DOMAIN` and
 *   returns x.
 * - Rounding: round to nearest, ties to even (of the multiple's index).
 * - Overflow: if that multiple is outside int32 (x near an end of the
 *   range), returns the next multiple toward 0 and ORs `Flag.SATURATED`:
 *   the result is always a lattice point.
 * - Aliasing: n/a (scalars). Allocation: none.
 */
export function quantizeAxis(q: QContext, x: number, delta: number): number {
  if (delta <= 0) {
    q.flags |= Flag.DOMAIN;
    return x;
  }
  if ((delta & (delta - 1)) === 0) {
    const k = 31 - Math.clz32(delta);
    if (k === 0) return x;
    const fl = x >> k;
    const rem = x & (delta - 1);
    const half = delta >> 1;
    let idx = rem > half || (rem === half && (fl & 1) === 1) ? fl + 1 : fl;
    if (idx > INT32_MAX >> k) {
      q.flags |= Flag.SATURATED;
      idx -= 1;
    }
    return idx << k;
  }
  // delta >= 3 here, so the quotient cannot saturate.
  const idx = divRound(q, x, delta);
  const saved = q.flags;
  q.flags = 0;
  let r = mulShift(q, idx, delta, 0);
  if ((q.flags & Flag.SATURATED) !== 0) {
    // |idx delta - x| <= delta / 2: one step toward 0 is inside int32.
    q.flags = 0;
    r = mulShift(q, idx > 0 ? idx - 1 : idx + 1, delta, 0);
    q.flags = saved | Flag.SATURATED;
  } else {
    q.flags = saved;
  }
  return r;
}

/**
 * `out_j = quantizeAxis(x_j, delta_j)` for j < n (default `x.length`), SPEC 5.
 *
 * - Domain, rounding, overflow: as `quantizeAxis`, per entry.
 * - Aliasing: `out` may be `x` (each entry is read before it is written).
 * - Allocation: none. The power-of-two path is inline; other steps call
 *   the exact division once per entry.
 */
export function quantizeLattice(q: QContext, out: Int32Array, x: Int32Array, delta: Int32Array, n: number = x.length): void {
  for (let j = 0; j < n; j++) {
    const d = delta[j];
    const v = x[j];
    if (d > 1 && (d & (d - 1)) === 0) {
      const k = 31 - Math.clz32(d);
      const fl = v >> k;
      const rem = v & (d - 1);
      const half = d >> 1;
      let idx = rem > half || (rem === half && (fl & 1) === 1) ? fl + 1 : fl;
      if (idx > INT32_MAX >> k) {
        q.flags |= Flag.SATURATED;
        idx -= 1;
      }
      out[j] = idx << k;
    } else {
      out[j] = quantizeAxis(q, v, d);
    }
  }
}

/** RNE(x / d) for 1 <= d <= 2^24 and |x| <= 2^30 (shift for powers of two). */
function latticeIndex(q: QContext, x: number, d: number): number {
  if ((d & (d - 1)) === 0) {
    const k = 31 - Math.clz32(d);
    if (k === 0) return x;
    const fl = x >> k;
    const rem = x & (d - 1);
    const half = d >> 1;
    return rem > half || (rem === half && (fl & 1) === 1) ? fl + 1 : fl;
  }
  return divRound(q, x, d);
}

/**
 * The first facet (the hint first, then in order) where `cand` has a
 * negative slack, or -1 if it lies in P. One exact dot product per facet
 * checked; stops at the first violation.
 */
function firstViolated(q: QContext, P: Polytope, cand: Int32Array, hint: number): number {
  const n = P.n;
  const f = q.f;
  const A = P.A;
  const b = P.b;
  if (hint >= 0 && dotAffine(q, A, hint * n, cand, 0, n, f, b[hint], -1) < 0) return hint;
  // Row by row, to stop at the first violation (measured: cheaper than one
  // m x n product, since most candidates fail early).
  for (let i = 0; i < P.m; i++) {
    if (i !== hint && dotAffine(q, A, i * n, cand, 0, n, f, b[i], -1) < 0) return i;
  }
  return -1;
}

/** Heap order: key (high, mid, low limbs), then push order. */
function before(w: GeometryWork, a: number, b: number): boolean {
  const k2 = w.hKey2;
  if (k2[a] !== k2[b]) return k2[a] < k2[b];
  const k1 = w.hKey1;
  if (k1[a] !== k1[b]) return k1[a] < k1[b];
  const k0 = w.hKey0;
  if (k0[a] !== k0[b]) return k0[a] < k0[b];
  return w.hSeq[a] < w.hSeq[b];
}

/** Pushes slot `s` on the heap of `size` entries; returns the new size. */
function heapPush(w: GeometryWork, size: number, s: number): number {
  const h = w.heap;
  let p = size;
  while (p > 0) {
    const up = (p - 1) >> 1;
    if (!before(w, s, h[up])) break;
    h[p] = h[up];
    p = up;
  }
  h[p] = s;
  return size + 1;
}

/** Removes the root of the heap of `size` (> 0) entries (read it first from heap[0]). */
function heapPop(w: GeometryWork, size: number): void {
  const h = w.heap;
  const last = h[size - 1];
  const n = size - 1;
  let p = 0;
  for (;;) {
    let c = 2 * p + 1;
    if (c >= n) break;
    if (c + 1 < n && before(w, h[c + 1], h[c])) c += 1;
    if (!before(w, h[c], last)) break;
    h[p] = h[c];
    p = c;
  }
  h[p] = last;
}

/**
 * Key of slot `child` = key of `parent` - v0^2 + v1^2 (|v0|, |v1| < 2^30),
 * in base-2^30 limbs. Squares from 15-bit limbs: v^2 = vh^2 2^30 +
 * vh vl 2^16 + vl^2 (every product < 2^30).
 */
function childKey(w: GeometryWork, child: number, parent: number, v0: number, v1: number): void {
  let a = v0 < 0 ? 0 - v0 : v0;
  let vl = a & 0x7fff;
  let vh = a >> 15;
  let t = vh * vl;
  let l0 = vl * vl + ((t & 0x3fff) << 16); // < 2^31
  const h0 = vh * vh + (t >> 14) + (l0 >> 30);
  l0 &= 0x3fffffff;
  a = v1 < 0 ? 0 - v1 : v1;
  vl = a & 0x7fff;
  vh = a >> 15;
  t = vh * vl;
  let l1 = vl * vl + ((t & 0x3fff) << 16);
  const h1 = vh * vh + (t >> 14) + (l1 >> 30);
  l1 &= 0x3fffffff;
  let k0 = w.hKey0[parent] - l0 + l1; // in (-2^30, 2^31)
  let k1 = w.hKey1[parent] - h0 + h1 + (k0 >> 30);
  k0 &= 0x3fffffff;
  const k2 = w.hKey2[parent] + (k1 >> 30);
  k1 &= 0x3fffffff;
  w.hKey0[child] = k0;
  w.hKey1[child] = k1;
  w.hKey2[child] = k2;
}

/**
 * Writes the candidate of slot `s` into `work.cand` and its lattice indices
 * (centre indices plus the offsets on its path) into `work.off`.
 */
function materialize(work: GeometryWork, delta: Int32Array, n: number, s: number): void {
  const cand = work.cand;
  const idx = work.off;
  const k = work.k;
  for (let j = 0; j < n; j++) idx[j] = k[j];
  // Walking up to the root, axes never increase; the first node met on an
  // axis holds that axis's offset.
  const axisOf = work.hLast;
  const valOf = work.hVal;
  const parentOf = work.hParent;
  let seen = -1;
  let node = s;
  while (node !== 0) {
    const ax = axisOf[node];
    if (ax !== seen) {
      idx[ax] += valOf[node];
      seen = ax;
    }
    node = parentOf[node];
  }
  // |k d| <= 2^30 + 2^23 and |o d| < 2^30: every product is an exact int32.
  for (let j = 0; j < n; j++) cand[j] = idx[j] * delta[j];
}

/** Writes the lattice point of indices `work.off` into `work.cand` (callers keep |idx d| < 2^31). */
function materializeIndices(work: GeometryWork, delta: Int32Array, n: number): void {
  const cand = work.cand;
  const idx = work.off;
  for (let j = 0; j < n; j++) cand[j] = idx[j] * delta[j];
}

/** Scratch key slots, past the heap's: `work.heapCap + S_*`. */
const S_CUR = 0;
const S_ONE = 1;
const S_TWO = 2;
const S_INC = 3;
const S_TMP = 4;
const S_D2 = 5;

/** Key of slot s = 0. */
function keyZero(w: GeometryWork, s: number): void {
  w.hKey0[s] = 0;
  w.hKey1[s] = 0;
  w.hKey2[s] = 0;
}

/** Key of slot dst = key a + key b (limbs with carries; every sum < 2^31). */
function keySum(w: GeometryWork, dst: number, a: number, b: number): void {
  let k0 = w.hKey0[a] + w.hKey0[b];
  let k1 = w.hKey1[a] + w.hKey1[b] + (k0 >> 30);
  k0 &= 0x3fffffff;
  const k2 = w.hKey2[a] + w.hKey2[b] + (k1 >> 30);
  k1 &= 0x3fffffff;
  w.hKey0[dst] = k0;
  w.hKey1[dst] = k1;
  w.hKey2[dst] = k2;
}

/** Key of slot a < key of slot b (limbs only). */
function keyBefore(w: GeometryWork, a: number, b: number): boolean {
  if (w.hKey2[a] !== w.hKey2[b]) return w.hKey2[a] < w.hKey2[b];
  if (w.hKey1[a] !== w.hKey1[b]) return w.hKey1[a] < w.hKey1[b];
  return w.hKey0[a] < w.hKey0[b];
}

/** Key of slot `dst` = key of slot `src`. */
function copyKey(w: GeometryWork, dst: number, src: number): void {
  w.hKey0[dst] = w.hKey0[src];
  w.hKey1[dst] = w.hKey1[src];
  w.hKey2[dst] = w.hKey2[src];
}

/** The greedy walk keeps |cand_j| below this (so cand_j +- Delta stays an int32). */
const WALK_LIMIT = (1 << 30) + (1 << 29);

/** |v| below this keeps v +- Delta (Delta <= 2^24) below 2^30, the range of exact squares. */
const V_LIMIT = (1 << 30) - (1 << 24);

/**
 * Key of slot s = sum_j (cand_j - x_j)^2, the squared distance to x; false
 * (slot unspecified) if a coordinate differs by V_LIMIT or more.
 */
function distanceKey(w: GeometryWork, s: number, cand: Int32Array, x: Int32Array, n: number): boolean {
  keyZero(w, s);
  for (let j = 0; j < n; j++) {
    const c = cand[j];
    const xj = x[j];
    // |c| < 2^31 and |x| <= 2^30: check before subtracting.
    if (c > xj ? c - V_LIMIT >= xj : xj - V_LIMIT >= c) return false;
    childKey(w, s, s, 0, c - xj);
  }
  return true;
}

/** Centres the lattice search on c (|c_j| <= 2^30): k_j = RNE(c_j / Delta_j), e_j = k_j Delta_j - c_j. */
function setCenter(q: QContext, work: GeometryWork, c: Int32Array, delta: Int32Array, n: number): void {
  const k = work.k;
  const e = work.e;
  for (let j = 0; j < n; j++) {
    const d = delta[j];
    const idx = latticeIndex(q, c[j], d);
    k[j] = idx;
    e[j] = idx * d - c[j]; // |e| <= d / 2
  }
}

/**
 * Whether the search around the rounded point is worth running: the deficit
 * of the violated facet i is at most twice the slack that one step on every
 * axis (each in its best direction) can win, `sum_j |A_ij| Delta_j / 2^f`.
 * Farther out, the nearest points of P are many steps away and phase B
 * (around the projection) finds them with far fewer candidates.
 */
function nearEnough(q: QContext, P: Polytope, cand: Int32Array, delta: Int32Array, n: number, i: number): boolean {
  const f = q.f;
  const A = P.A;
  const sl = dotAffine(q, A, i * n, cand, 0, n, f, P.b[i], -1); // < 0
  const deficit = sl === INT32_MIN ? INT32_MAX : 0 - sl;
  let gain = 0;
  for (let j = 0; j < n; j++) {
    const a = A[i * n + j];
    if (a === 0) continue;
    const g = mulShift(q, a < 0 ? (a === INT32_MIN ? INT32_MAX : 0 - a) : a, delta[j], f);
    gain = gain > INT32_MAX - g ? INT32_MAX : gain + g;
  }
  return deficit >> 1 <= gain;
}

/**
 * Best-first search over the lattice points around the centre (`work.k`,
 * `work.e`) in order of squared distance to the centre (exact keys; ties
 * first-in first-out), at most `limit` candidates checked.
 *
 * - `x` null: returns the first candidate in P, which is the nearest to the
 *   centre (slot id), or -1.
 * - `x` given (the centre is then the projection p of x, and slot S_D2 holds
 *   ||p - x||^2): keeps the candidate in P nearest to x (key in S_INC) and
 *   stops once a popped key plus ||p - x||^2 reaches it: for k in P,
 *   ||k - x||^2 >= ||k - p||^2 + ||p - x||^2, so nothing left can be nearer.
 *   Returns the kept slot or -1.
 * - `rootHint`: a facet the root (the centre's rounding) violates, if known
 *   (the root is then not checked again), or -1.
 * Sets `work.dropped` when a child could not be stored (heap full, offset
 * bound); counts candidates into `work.examined`.
 */
function search(q: QContext, P: Polytope, delta: Int32Array, n: number, limit: number, work: GeometryWork, x: Int32Array | null, rootHint: number): number {
  const hc = work.heapCap;
  const e = work.e;
  const hLast = work.hLast;
  const hVal = work.hVal;
  const hParent = work.hParent;
  const hHint = work.hHint;
  const hSeq = work.hSeq;
  const inc = hc + S_INC;
  const tmp = hc + S_TMP;
  const d2 = hc + S_D2;
  // Root: key sum e_j^2.
  keyZero(work, 0);
  for (let j = 0; j < n; j++) childKey(work, 0, 0, 0, e[j]);
  hLast[0] = -1;
  hVal[0] = 0;
  hParent[0] = 0;
  hHint[0] = rootHint;
  hSeq[0] = 0;
  let slots = 1;
  let size = heapPush(work, 0, 0);
  let examined = 0;
  let best = -1;
  let skipCheck = 0;
  while (size > 0 && examined < limit) {
    const s = work.heap[0];
    if (best >= 0) {
      keySum(work, tmp, s, d2);
      if (!keyBefore(work, tmp, inc)) break; // nothing left can be nearer to x
    }
    heapPop(work, size);
    size -= 1;
    let hint = hHint[s];
    if (s !== 0 || rootHint < 0) {
      materialize(work, delta, n, s);
      // Around p, a candidate no nearer to x than the one kept need not be
      // checked (its children are still generated).
      if (x !== null && !(distanceKey(work, tmp, work.cand, x, n) && (best < 0 || keyBefore(work, tmp, inc)))) {
        skipCheck = 1;
      } else {
        skipCheck = 0;
      }
    }
    if ((s !== 0 || rootHint < 0) && skipCheck === 0) {
      examined += 1;
      const v = firstViolated(q, P, work.cand, hint);
      if (v < 0) {
        if (x === null) {
          best = s;
          break;
        }
        copyKey(work, inc, tmp); // nearer to x than the kept one (checked above)
        best = s;
        // Its descendants are farther from p, not necessarily from x: go on.
      } else {
        hint = v;
      }
    }
    // Children: further along the node's own axis, then +-1 on each later axis.
    const last = hLast[s];
    if (last >= 0) {
      const o = hVal[s];
      const o1 = o > 0 ? o + 1 : o - 1;
      if (o1 > QP_OFFSET_MAX || o1 < 0 - QP_OFFSET_MAX || slots >= hc) {
        work.dropped = 1;
      } else {
        const d = delta[last];
        childKey(work, slots, s, e[last] + o * d, e[last] + o1 * d);
        hLast[slots] = last;
        hVal[slots] = o1;
        hParent[slots] = s;
        hHint[slots] = hint;
        hSeq[slots] = slots;
        size = heapPush(work, size, slots);
        slots += 1;
      }
    }
    for (let j = last + 1; j < n; j++) {
      for (let sgn = -1; sgn <= 1; sgn += 2) {
        if (slots >= hc) {
          work.dropped = 1;
          break;
        }
        childKey(work, slots, s, e[j], sgn < 0 ? e[j] - delta[j] : e[j] + delta[j]);
        hLast[slots] = j;
        hVal[slots] = sgn;
        hParent[slots] = s;
        hHint[slots] = hint;
        hSeq[slots] = slots;
        size = heapPush(work, size, slots);
        slots += 1;
      }
    }
  }
  work.examined += examined;
  if (size > 0 && best < 0) work.dropped = 1; // stopped by the cap
  return best;
}

/** Sweeps the projection of phase B may take (it stops earlier at a fixed point). */
export const QP_PROJECT_SWEEPS = 16;

/**
 * `Q_P(x)` (SPEC 3): the lattice point (steps `delta`) nearest to `x`
 * (Euclidean distance) that lies in `P`: every slack >= 0, so rounding never
 * crosses a facet (a band applies only when the caller classifies it).
 *
 * Phases, each checking at most `cap` candidates:
 * - A: the rounded point, then (if its violation is at most twice what one
 *   step on every axis can win) best-first from it in order of distance to
 *   x: the first point of P met is the nearest (proved, `work.proved = 1`,
 *   unless a child was dropped). Exact while x is within a few steps of P.
 * - B: if A found nothing, x is projected onto P (`projectDykstra`, at most
 *   `QP_PROJECT_SWEEPS` sweeps) and the search restarts from the rounded
 *   projection p, keeping the point of P nearest to x and stopping by the
 *   bound ||k - x||^2 >= ||k - p||^2 + ||p - x||^2 (p approximate: not
 *   counted as proved).
 * - C: if B found nothing either, a greedy walk from the rounded projection
 *   toward P (each step the one-step move leaving the least total violation).
 * - Then, for answers of B and C, a first-improvement local search over
 *   moves of one step on one or two axes keeps the point in P and brings it
 *   nearer to x.
 *
 * - Domain: `|x_j| <= QP_X_MAX` (2^30), `1 <= delta_j <= QP_DELTA_MAX`
 *   (2^24), in the Q format of `q`; `work` made for dimension n and at
 *   least m facets; `cap >= 1` (clamped to `work.searchCap`). Outside it:
 *   ORs `Flag.DOMAIN`, returns NO_LATTICE_POINT.
 * - Returns OK with the point in `out`, or NO_LATTICE_POINT with `out`
 *   untouched. `work.examined` counts the candidates checked.
 * - Rounding: the index `RNE(x_j / delta_j)`; distances and slacks exact.
 * - Overflow: none inside the domain; internal slack saturation (of far
 *   candidates) is not reported, since the answer is exact.
 * - Aliasing: `out` may be `x` (x is only read before `out` is written);
 *   `delta` is only read.
 * - Allocation: none. Cost: the rounding (n divisions, or shifts), one m x n
 *   admissibility check; if the rounded point is outside P, candidates of
 *   typically one exact dot product each (the facet that rejected the parent
 *   is tried first), m for the one accepted.
 */
export function quantizeInPolytope(
  q: QContext, out: Int32Array, P: Polytope, x: Int32Array, delta: Int32Array, cap: number, work: GeometryWork,
): QuantizeStatus {
  const n = P.n;
  const m = P.m;
  work.examined = 0;
  work.proved = 0;
  if (work.n !== n || work.m < m || !(cap >= 1)) {
    q.flags |= Flag.DOMAIN;
    return QuantizeStatus.NO_LATTICE_POINT;
  }
  for (let j = 0; j < n; j++) {
    const v = x[j];
    const d = delta[j];
    if (v > QP_X_MAX || v < 0 - QP_X_MAX || d < 1 || d > QP_DELTA_MAX) {
      q.flags |= Flag.DOMAIN;
      return QuantizeStatus.NO_LATTICE_POINT;
    }
  }
  const saved = q.flags;
  const limit = cap < work.searchCap ? cap : work.searchCap;

  // A. The rounded point, then the nearest points around it.
  setCenter(q, work, x, delta, n);
  materialize(work, delta, n, 0);
  work.examined = 1;
  const rootViolated = firstViolated(q, P, work.cand, -1);
  if (rootViolated < 0) return finish(q, saved, out, work, n, 1);
  work.dropped = 0;
  let s = -1;
  if (nearEnough(q, P, work.cand, delta, n, rootViolated)) {
    s = search(q, P, delta, n, limit, work, null, rootViolated);
    if (s >= 0) {
      materialize(work, delta, n, s);
      return finish(q, saved, out, work, n, work.dropped === 0 ? 1 : 0);
    }
  }

  // B. Around the projection of x onto P.
  const p = work.px;
  projectDykstra(q, p, P, x, null, QP_PROJECT_SWEEPS, INT32_MAX, work);
  q.flags = saved;
  let centred = 1;
  for (let j = 0; j < n; j++) {
    const pj = p[j];
    if (pj > QP_X_MAX || pj < 0 - QP_X_MAX) centred = 0;
  }
  let found = 0;
  if (centred !== 0 && distanceKey(work, work.heapCap + S_D2, p, x, n)) {
    setCenter(q, work, p, delta, n);
    s = search(q, P, delta, n, limit, work, x, -1);
    if (s >= 0) {
      materialize(work, delta, n, s);
      found = 1;
    }
  } else {
    setCenter(q, work, x, delta, n); // the walk starts from round(x)
  }

  // C. Greedy walk from the centre toward P: the one-step move that leaves
  // the least total violation, estimated from the per-step slack changes.
  if (found === 0) {
    found = walk(q, P, x, delta, n, limit, work);
    q.flags = saved;
    if (found === 0 || !distanceKey(work, work.heapCap + S_CUR, work.cand, x, n)) {
      return QuantizeStatus.NO_LATTICE_POINT;
    }
  } else if (!distanceKey(work, work.heapCap + S_CUR, work.cand, x, n)) {
    return finish(q, saved, out, work, n, 0); // too far for exact keys: keep it as is
  }
  // Local improvement: first-improvement over one-step moves on one or two
  // axes (a pair can slide along a facet), exact keys, staying in P.
  improve(q, P, x, delta, n, limit, work);
  materializeIndices(work, delta, n);
  return finish(q, saved, out, work, n, 0);
}

/**
 * Greedy walk toward P from the centre (`work.k`): at each step the move of
 * one step on one axis that leaves the smallest total violation
 * `sum_i max(0, -slack_i)`, estimated with `c_ij = RNE(A_ij Delta_j / 2^f)`
 * (the slack change of one step, computed once into `work.inc`); the move
 * just made is never undone. Exact slacks are recomputed after each move.
 * Returns 1 with the point in `work.off` / `work.cand` once it is in P
 * (every exact slack >= 0), 0 after `limit` moves.
 */
function walk(q: QContext, P: Polytope, x: Int32Array, delta: Int32Array, n: number, limit: number, work: GeometryWork): number {
  const m = P.m;
  const A = P.A;
  const f = q.f;
  const c = work.inc; // m x n scratch (the projection is done with it)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) c[i * n + j] = mulShift(q, A[i * n + j], delta[j], f);
  }
  const idx = work.off;
  const k = work.k;
  for (let j = 0; j < n; j++) idx[j] = k[j];
  const cls = work.cls;
  const slack = cls.slack;
  let lastAxis = -1;
  let lastDir = 0;
  for (let step = 0; step <= limit; step++) {
    materializeIndices(work, delta, n);
    classify(q, cls, P, work.cand, 0, 0);
    work.examined += 1;
    if (cls.minSlack >= 0) return 1;
    if (step === limit) break;
    let bestAxis = -1;
    let bestDir = 0;
    let bestV = INT32_MAX;
    for (let j = 0; j < n; j++) {
      for (let dir = -1; dir <= 1; dir += 2) {
        if (j === lastAxis && dir === 0 - lastDir) continue; // no undo
        const c1 = work.cand[j] + (dir < 0 ? 0 - delta[j] : delta[j]);
        if (c1 > WALK_LIMIT || c1 < 0 - WALK_LIMIT) continue;
        // Total violation after the move (saturating sums).
        let v = 0;
        for (let i = 0; i < m; i++) {
          const ch = c[i * n + j]; // a step of +1 lowers the slack by ch
          const si = slack[i];
          let s1: number;
          if (dir > 0) s1 = ch > 0 && si < INT32_MIN + ch ? INT32_MIN : ch < 0 && si > INT32_MAX + ch ? INT32_MAX : si - ch;
          else s1 = ch > 0 && si > INT32_MAX - ch ? INT32_MAX : ch < 0 && si < INT32_MIN - ch ? INT32_MIN : si + ch;
          if (s1 < 0) {
            const viol = s1 === INT32_MIN ? INT32_MAX : 0 - s1;
            v = v > INT32_MAX - viol ? INT32_MAX : v + viol;
          }
        }
        if (v < bestV) {
          bestV = v;
          bestAxis = j;
          bestDir = dir;
        }
      }
    }
    if (bestAxis < 0) break;
    idx[bestAxis] += bestDir;
    lastAxis = bestAxis;
    lastDir = bestDir;
  }
  return 0;
}

/**
 * First-improvement local search from the point of indices `work.off` (in P,
 * its squared distance to x in slot S_CUR): moves of one step on one axis,
 * or on two, accepted when nearer to x and still in P. At most `limit`
 * admissibility checks. Leaves the result in `work.off`.
 */
function improve(q: QContext, P: Polytope, x: Int32Array, delta: Int32Array, n: number, limit: number, work: GeometryWork): void {
  const idx = work.off;
  const cur = work.heapCap + S_CUR;
  const one = work.heapCap + S_ONE;
  const two = work.heapCap + S_TWO;
  let checks = 0;
  let hint = -1; // the facet that rejected the last try: checked first
  for (let pass = 0; pass < limit && checks < limit; pass++) {
    let improved = 0;
    for (let j = 0; j < n && improved === 0; j++) {
      const vj = idx[j] * delta[j] - x[j]; // |v| < V_LIMIT (kept by every accepted move)
      for (let s1 = -1; s1 <= 1 && improved === 0; s1 += 2) {
        const v1 = s1 < 0 ? vj - delta[j] : vj + delta[j];
        if (v1 >= V_LIMIT || v1 <= 0 - V_LIMIT) continue;
        childKey(work, one, cur, vj, v1);
        if (keyBefore(work, one, cur)) {
          idx[j] += s1;
          materializeIndices(work, delta, n);
          checks += 1;
          const v = firstViolated(q, P, work.cand, hint);
          if (v < 0) {
            copyKey(work, cur, one);
            improved = 1;
            break;
          }
          hint = v;
          idx[j] -= s1;
        }
        for (let j2 = j + 1; j2 < n && improved === 0 && checks < limit; j2++) {
          const v2 = idx[j2] * delta[j2] - x[j2];
          for (let s2 = -1; s2 <= 1; s2 += 2) {
            const w2 = s2 < 0 ? v2 - delta[j2] : v2 + delta[j2];
            if (w2 >= V_LIMIT || w2 <= 0 - V_LIMIT) continue;
            childKey(work, two, one, v2, w2);
            if (!keyBefore(work, two, cur)) continue;
            idx[j] += s1;
            idx[j2] += s2;
            materializeIndices(work, delta, n);
            checks += 1;
            const v = firstViolated(q, P, work.cand, hint);
            if (v < 0) {
              copyKey(work, cur, two);
              improved = 1;
              break;
            }
            hint = v;
            idx[j] -= s1;
            idx[j2] -= s2;
          }
        }
      }
    }
    if (improved === 0) break;
  }
  work.examined += checks;
}

/** Copies the admissible candidate to `out`, restores the flags, records whether it is proved nearest. */
function finish(q: QContext, saved: number, out: Int32Array, work: GeometryWork, n: number, proved: number): QuantizeStatus {
  const cand = work.cand;
  for (let j = 0; j < n; j++) out[j] = cand[j];
  q.flags = saved;
  work.proved = proved;
  return QuantizeStatus.OK;
}
