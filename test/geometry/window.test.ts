/**
 * Windows (SPEC 4): exact membership and a once-rounded distance, against a
 * BigInt reference, including the extreme operands of the overflow proof.
 */
import { describe, expect, it } from 'vitest';
import { Flag, INT32_MAX, INT32_MIN, createQ } from '../../src/fixed/q.js';
import {
  WINDOW_N_MAX,
  WINDOW_REFUSED,
  WindowMetric,
  createWindow,
  inWindow,
  setWindowMetric,
  setWindowRadius,
  windowDistance2,
  windowForm,
  type Window,
} from '../../src/geometry/window.js';
import { PURITY } from '../helpers/budget.js';
import { rneShift } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';
import { randomWindowCase } from './window-gen.js';

const CASES = PURITY ? 3_000 : 60_000;
const MAXB = 2147483647n;

/** Exact F = d' S d, or null when some d_j is outside [-(2^31-1), 2^31-1]. */
function refForm(w: Window, x: Int32Array): bigint | null {
  const n = w.n;
  const d: bigint[] = [];
  for (let j = 0; j < n; j++) {
    const v = BigInt(x[j]) - BigInt(w.mu[j]);
    if (v > MAXB || v < -MAXB) return null;
    d.push(v);
  }
  let F = 0n;
  for (let i = 0; i < n; i++) {
    if (w.metric === WindowMetric.DIAGONAL) F += BigInt(w.S[i]) * d[i] * d[i];
    else for (let j = 0; j < n; j++) F += BigInt(w.S[i * n + j]) * d[i] * d[j];
  }
  return F;
}

interface Expect {
  inside: boolean;
  dist: number;
  flags: number;
}

function refEval(w: Window, x: Int32Array): Expect {
  const F = refForm(w, x);
  if (F === null || F < 0n) return { inside: false, dist: WINDOW_REFUSED, flags: Flag.DOMAIN };
  const T = BigInt(w.eps) * BigInt(w.eps) * (1n << BigInt(w.f));
  if (!(F < T)) return { inside: false, dist: WINDOW_REFUSED, flags: 0 };
  const r = rneShift(F, 2 * w.f);
  if (r > MAXB) return { inside: true, dist: INT32_MAX, flags: Flag.SATURATED };
  return { inside: true, dist: Number(r), flags: 0 };
}

function formValue(w: Window): bigint {
  let v = 0n;
  for (let k = w.form.length - 1; k >= 0; k--) v = (v << 16n) + BigInt(w.form[k]);
  return v;
}

function check(w: Window, x: Int32Array, f = w.f): void {
  const q = createQ(f);
  const e = refEval(w, x);
  const ctx = () => `n=${w.n} metric=${w.metric} f=${w.f} eps=${w.eps} S=[${Array.from(w.S)}] mu=[${Array.from(w.mu)}] x=[${Array.from(x)}]`;
  q.flags = 0;
  expect(inWindow(q, w, x), ctx()).toBe(e.inside);
  expect(q.flags, ctx()).toBe(e.flags & Flag.DOMAIN);
  q.flags = 0;
  expect(windowDistance2(q, w, x), ctx()).toBe(e.dist);
  expect(q.flags, ctx()).toBe(e.flags);
  q.flags = 0;
  const F = refForm(w, x);
  expect(windowForm(q, w, x), ctx()).toBe(F !== null);
  if (F !== null) expect(formValue(w), ctx()).toBe(F);
}

const Q16 = 0x10000;

describe('window: hand-worked cases (Q16.16)', () => {
  const q = createQ(16);

  it('diagonal S = diag(1, 4), eps = 1: inside, outside, and the boundary is outside', () => {
    const w = createWindow(q, { metric: 'diagonal', mu: [0, 0], S: [Q16, 4 * Q16], eps: Q16 });
    // (0.5, 0.25): 0.25 + 4 * 0.0625 = 0.5
    expect(inWindow(q, w, Int32Array.of(Q16 / 2, Q16 / 4))).toBe(true);
    expect(windowDistance2(q, w, Int32Array.of(Q16 / 2, Q16 / 4))).toBe(Q16 / 2);
    // (0.5, 0.5): 0.25 + 1 = 1.25 > 1
    expect(inWindow(q, w, Int32Array.of(Q16 / 2, Q16 / 2))).toBe(false);
    expect(windowDistance2(q, w, Int32Array.of(Q16 / 2, Q16 / 2))).toBe(WINDOW_REFUSED);
    // exactly on the boundary: ||d||^2 = 1 = eps^2, not < eps
    expect(inWindow(q, w, Int32Array.of(Q16, 0))).toBe(false);
    expect(inWindow(q, w, Int32Array.of(0, Q16 / 2))).toBe(false);
    expect(inWindow(q, w, Int32Array.of(0, Q16 / 2 - 1))).toBe(true);
    expect(q.flags).toBe(0);
  });

  it('full S = [[2, 1], [1, 2]]: d = (1, -1) gives 2.0; eps = sqrt(2) decided exactly either side', () => {
    const w = createWindow(q, { metric: 'full', mu: [Q16, 0], S: [2 * Q16, Q16, Q16, 2 * Q16], eps: 92682 });
    const x = Int32Array.of(2 * Q16, -Q16); // d = (1, -1)
    // 92682^2 = 8,589,953,124 > 2 * 2^32: inside; the distance is exactly 2.0
    expect(inWindow(q, w, x)).toBe(true);
    expect(windowDistance2(q, w, x)).toBe(2 * Q16);
    // 92681^2 = 8,589,767,761 < 2 * 2^32: outside
    setWindowRadius(w, 92681);
    expect(inWindow(q, w, x)).toBe(false);
    // d = (1, 1): 2 + 2 + 2 = 6
    setWindowRadius(w, 3 * Q16);
    expect(windowDistance2(q, w, Int32Array.of(2 * Q16, Q16))).toBe(6 * Q16);
    expect(q.flags).toBe(0);
  });

  it('rounds the distance once, to nearest, ties to even', () => {
    // S = 1 unit (2^-16), d = 1.5 units: F = 2.25 units^3 ... pick values whose
    // F / 2^32 is exactly k + 1/2.
    const w = createWindow(q, { metric: 'diagonal', mu: [0], S: [1], eps: INT32_MAX });
    // F = d^2 = 2^32 * 2.5 -> d^2 = 10737418240 is not a square; use S instead:
    setWindowMetric(w, [5]); // F = 5 d^2; d = 2^15: F = 5 * 2^30 = 2^32 * 1.25 -> 1
    expect(windowDistance2(q, w, Int32Array.of(1 << 15))).toBe(1);
    setWindowMetric(w, [2]); // F = 2 * 2^32 = exactly 2
    expect(windowDistance2(q, w, Int32Array.of(1 << 16))).toBe(2);
    setWindowMetric(w, [6]); // F = 6 * 2^30 = 1.5 * 2^32 -> 2 (tie to even)
    expect(windowDistance2(q, w, Int32Array.of(1 << 15))).toBe(2);
    setWindowMetric(w, [10]); // 2.5 * 2^32 -> 2 (tie to even)
    expect(windowDistance2(q, w, Int32Array.of(1 << 15))).toBe(2);
    setWindowMetric(w, [14]); // 3.5 -> 4
    expect(windowDistance2(q, w, Int32Array.of(1 << 15))).toBe(4);
    expect(q.flags).toBe(0);
  });

  it('x aliasing mu: distance 0, inside', () => {
    const w = createWindow(q, { metric: 'full', mu: [5, -7, 9], S: [Q16, 3, 0, 3, Q16, -2, 0, -2, Q16], eps: 1 });
    expect(windowDistance2(q, w, w.mu)).toBe(0);
    expect(inWindow(q, w, w.mu)).toBe(true);
  });
});

describe('window: domain and overflow policy', () => {
  const q = createQ(16);

  it('x - mu beyond int32: outside, DOMAIN, never a number', () => {
    const w = createWindow(q, { metric: 'diagonal', mu: [INT32_MIN, 0], S: [1, 1], eps: INT32_MAX });
    q.flags = 0;
    expect(inWindow(q, w, Int32Array.of(0, 0))).toBe(false); // d = 2^31
    expect(q.flags).toBe(Flag.DOMAIN);
    q.flags = 0;
    expect(windowDistance2(q, w, Int32Array.of(0, 0))).toBe(WINDOW_REFUSED);
    expect(q.flags).toBe(Flag.DOMAIN);
    // d = 2^31 - 1 is fine
    q.flags = 0;
    expect(windowForm(q, w, Int32Array.of(-1, 0))).toBe(true);
    expect(q.flags).toBe(0);
    const w2 = createWindow(q, { metric: 'diagonal', mu: [1], S: [1], eps: 1 });
    expect(windowForm(q, w2, Int32Array.of(INT32_MIN))).toBe(false); // d = -2^31 - 1
    expect(windowForm(q, w2, Int32Array.of(INT32_MIN + 2))).toBe(true); // d = -(2^31 - 1)
  });

  it('a non-PSD S that gives F < 0: outside, DOMAIN', () => {
    const w = createWindow(q, { metric: 'full', mu: [0, 0], S: [Q16, 2 * Q16, 2 * Q16, Q16], eps: INT32_MAX });
    q.flags = 0;
    expect(inWindow(q, w, Int32Array.of(Q16, -Q16))).toBe(false); // 1 - 4 + 1 < 0
    expect(q.flags).toBe(Flag.DOMAIN);
  });

  it('a format mismatch: outside, DOMAIN', () => {
    const w = createWindow(q, { metric: 'diagonal', mu: [0], S: [Q16], eps: Q16 });
    const q12 = createQ(12);
    expect(inWindow(q12, w, Int32Array.of(0))).toBe(false);
    expect(q12.flags).toBe(Flag.DOMAIN);
  });

  it('a distance above int32 inside a huge window saturates with SATURATED', () => {
    const w = createWindow(q, { metric: 'diagonal', mu: [0], S: [INT32_MAX], eps: INT32_MAX });
    q.flags = 0;
    // F = (2^31-1) * 2^40 < eps^2 2^16; distance = F / 2^32 ~ 2^39
    expect(windowDistance2(q, w, Int32Array.of(1 << 20))).toBe(INT32_MAX);
    expect(q.flags).toBe(Flag.SATURATED);
  });

  it('extreme operands of the overflow proof (n = 64, |S| = |d| = 2^31 - 1) are exact', () => {
    const n = WINDOW_N_MAX;
    for (const pattern of ['same', 'checker', 'rowsign'] as const) {
      const S = new Int32Array(n * n);
      const mu = new Int32Array(n).fill(-0x40000000);
      const x = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = 0x3fffffff; // d = 2^31 - 1
        if (pattern !== 'same' && i % 2 === 1) {
          x[i] = -0x40000000;
          mu[i] = 0x3fffffff; // d = -(2^31 - 1)
        }
        for (let j = 0; j < n; j++) {
          const sgn = pattern === 'same' ? 1 : pattern === 'checker' ? ((i + j) % 2 === 0 ? 1 : -1) : i === j ? 1 : -1;
          S[i * n + j] = sgn * INT32_MAX;
        }
      }
      const w = createWindow(q, { metric: 'full', mu, S, eps: INT32_MAX });
      check(w, x);
      const wd = createWindow(q, { metric: 'diagonal', mu, S: new Int32Array(n).fill(INT32_MAX), eps: INT32_MAX });
      check(wd, x);
    }
  });

  it('setup validation names the field', () => {
    expect(() => createWindow(q, { metric: 'cube' as never, mu: [0], S: [0], eps: 1 })).toThrow(/window\.metric/);
    expect(() => createWindow(q, { metric: 'diagonal', mu: [], S: [], eps: 1 })).toThrow(/window\.mu: length/);
    expect(() => createWindow(q, { metric: 'diagonal', mu: new Array(65).fill(0), S: new Array(65).fill(0), eps: 1 })).toThrow(/window\.mu: length/);
    expect(() => createWindow(q, { metric: 'diagonal', mu: [0.5], S: [0], eps: 1 })).toThrow(/window\.mu\[0\]/);
    expect(() => createWindow(q, { metric: 'diagonal', mu: [0, 0], S: [0], eps: 1 })).toThrow(/window\.S: length/);
    expect(() => createWindow(q, { metric: 'diagonal', mu: [0, 0], S: [0, -1], eps: 1 })).toThrow(/window\.S\[1\].*diagonal/);
    expect(() => createWindow(q, { metric: 'diagonal', mu: [0], S: [INT32_MIN], eps: 1 })).toThrow(/window\.S\[0\]/);
    expect(() => createWindow(q, { metric: 'full', mu: [0, 0], S: [1, 2, 3, 1], eps: 1 })).toThrow(/window\.S\[1\]: not symmetric/);
    expect(() => createWindow(q, { metric: 'full', mu: [0, 0], S: [1, 2, 2, -1], eps: 1 })).toThrow(/window\.S\[3\].*diagonal/);
    expect(() => createWindow(q, { metric: 'full', mu: [0], S: [1], eps: 0 })).toThrow(/window\.eps/);
    expect(() => createWindow(q, { metric: 'full', mu: [0], S: [1], eps: 2 ** 31 })).toThrow(/window\.eps/);
  });
});

describe('window: random cases against the BigInt reference', () => {
  it(`${CASES} random windows and points: membership, distance, flags and the exact form`, () => {
    const rng = new Rng(0x51ab1e);
    for (let c = 0; c < CASES; c++) {
      const k = randomWindowCase(rng);
      const q = createQ(k.f);
      const w = createWindow(q, { metric: k.metric, mu: k.mu, S: k.S, eps: k.eps });
      check(w, Int32Array.from(k.x));
    }
  });
});
