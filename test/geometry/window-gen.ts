/**
 * Random window cases shared by the Node tests and the Node-vs-XS parity
 * test: a random format, metric and size (mostly small, some up to 24), and a
 * radius near the point's distance so that both sides of the boundary occur.
 */
import { INT32_MAX, INT32_MIN } from '../../src/fixed/q.js';
import { isqrtFloor } from '../helpers/ref.js';
import type { Rng } from '../helpers/rng.js';

const MAXB = 2147483647n;

/** A random window (f, metric, n) and points near its boundary, in the middle, and far. */
export function randomWindowCase(rng: Rng): { f: number; metric: 'diagonal' | 'full'; mu: number[]; S: number[]; eps: number; x: number[] } {
  const f = rng.range(8, 24);
  const metric = rng.range(0, 1) === 0 ? 'diagonal' : 'full';
  const n = rng.range(0, 9) === 0 ? rng.range(9, 24) : rng.range(1, 6);
  const big = rng.range(0, 3) === 0;
  const val = () => (big ? rng.wide() : rng.range(-(1 << 20), 1 << 20));
  const mu: number[] = [];
  const x: number[] = [];
  for (let j = 0; j < n; j++) {
    const m = val() >> 1;
    mu.push(m);
    x.push(rng.range(0, 7) === 0 ? m : (m + (val() >> 1)) | 0);
  }
  const S: number[] = metric === 'diagonal' ? new Array(n).fill(0) : new Array(n * n).fill(0);
  for (let i = 0; i < n; i++) {
    if (metric === 'diagonal') S[i] = Math.abs(val()) & 0x7fffffff;
    else {
      S[i * n + i] = Math.abs(val()) & 0x7fffffff;
      for (let j = i + 1; j < n; j++) {
        // Mostly diagonally dominant (PSD), sometimes not.
        const v = rng.range(0, 4) === 0 ? val() : val() >> 4;
        S[i * n + j] = v === INT32_MIN ? INT32_MAX : v;
        S[j * n + i] = S[i * n + j];
      }
    }
  }
  // eps near the point's distance so both sides of the boundary occur.
  let F = 0n;
  for (let i = 0; i < n; i++) {
    const di = BigInt(x[i]) - BigInt(mu[i]);
    if (metric === 'diagonal') F += BigInt(S[i]) * di * di;
    else for (let j = 0; j < n; j++) F += BigInt(S[i * n + j]) * di * (BigInt(x[j]) - BigInt(mu[j]));
  }
  let eps: number;
  const pick = rng.range(0, 3);
  if (F > 0n && pick < 3) {
    const r = isqrtFloor(F >> BigInt(f)); // ~ sqrt(F / 2^f)
    const e = r + BigInt(rng.range(-1, 2));
    eps = e < 1n ? 1 : e > MAXB ? INT32_MAX : Number(e);
  } else eps = rng.range(1, INT32_MAX);
  return { f, metric, mu, S, eps, x };
}
