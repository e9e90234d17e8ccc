/**
 * Setup-time wide integers against BigInt: products, sums, shifts,
 * comparisons and the rounded long division (RNE, floor, ceil).
 */
import { describe, expect, it } from 'vitest';
import { createQ, Flag } from '../../src/fixed/q.js';
import {
  createWide, Rounding, wideAdd, wideAddInt, wideAddProduct, wideBitLength, wideCompare, wideDivToInt, wideIsNegative,
  wideNeg, wideSet, wideShl, wideSub,
} from '../../src/linalg/wide.js';
import { PURITY } from '../helpers/budget.js';
import { INT32_EDGES } from '../helpers/edges.js';
import { rneDiv, sat } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

const MOD = 1n << 128n;
function toBig(w: Int32Array): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 16n) | BigInt(w[k]);
  return v >= MOD / 2n ? v - MOD : v;
}
function fromBig(v: bigint): Int32Array {
  const w = createWide();
  let u = ((v % MOD) + MOD) % MOD;
  for (let k = 0; k < 8; k++) {
    w[k] = Number(u & 0xffffn);
    u >>= 16n;
  }
  return w;
}
function randBig(rng: Rng, bits: number): bigint {
  let v = 0n;
  for (let b = 0; b < bits; b += 16) v = (v << 16n) | BigInt(rng.range(0, 0xffff));
  v >>= BigInt(Math.max(0, Math.ceil(bits / 16) * 16 - rng.range(1, bits)));
  return rng.range(0, 1) ? -v : v;
}
const floorDiv = (n: bigint, d: bigint) => (n >= 0n ? n / d : -((-n + d - 1n) / d));
const ceilDiv = (n: bigint, d: bigint) => -floorDiv(-n, d);

describe('wide integers', () => {
  it('accumulates exact products and ints; shifts, negates, compares', () => {
    const rng = new Rng(31);
    const w = createWide();
    for (let t = 0; t < (PURITY ? 200 : 3000); t++) {
      wideSet(w, 0);
      let ref = 0n;
      const k = rng.range(1, 20);
      for (let i = 0; i < k; i++) {
        const a = rng.range(0, 3) === 0 ? INT32_EDGES[rng.range(0, INT32_EDGES.length - 1)] : rng.wide();
        const b = rng.range(0, 3) === 0 ? -0x7fffffff - 1 : rng.int32();
        wideAddProduct(w, a, b);
        ref += BigInt(a) * BigInt(b);
        const c = rng.int32();
        wideAddInt(w, c);
        ref += BigInt(c);
      }
      expect(toBig(w)).toBe(ref);
      const sh = rng.range(0, 40);
      wideShl(w, sh);
      expect(toBig(w)).toBe(ref << BigInt(sh));
      wideNeg(w);
      expect(toBig(w)).toBe(-(ref << BigInt(sh)));
      expect(wideIsNegative(w)).toBe(-(ref << BigInt(sh)) < 0n);
      const other = fromBig(randBig(rng, 100));
      const cmp = wideCompare(w, other);
      const rb = toBig(other);
      const rw = toBig(w);
      expect(cmp).toBe(rw < rb ? -1 : rw > rb ? 1 : 0);
      const sum = fromBig(rw);
      wideAdd(sum, other);
      expect(toBig(sum)).toBe(rw + rb);
      wideSub(sum, other);
      wideSub(sum, other);
      expect(toBig(sum)).toBe(rw - rb);
      const pos = fromBig(rw < 0n ? -rw : rw);
      expect(wideBitLength(pos)).toBe((rw < 0n ? -rw : rw).toString(2).replace(/^0$/, '').length);
    }
  });

  it('divides to int32 with RNE, floor and ceil, saturating', () => {
    const rng = new Rng(32);
    const q = createQ(16);
    const r = createWide();
    const t = createWide();
    for (let i = 0; i < (PURITY ? 300 : 5000); i++) {
      const d = (() => {
        const v = randBig(rng, rng.range(1, 90));
        return v < 0n ? -v + 1n : v + 1n;
      })();
      // Numerators near the quotient range, including ties.
      const kind = rng.range(0, 3);
      let n: bigint;
      if (kind === 0) n = randBig(rng, 100);
      else if (kind === 1) n = d * BigInt(rng.int32()) + (rng.range(0, 1) ? d / 2n : 0n);
      else if (kind === 2) n = d * BigInt(rng.wide()) + randBig(rng, 20);
      else n = (d * (rng.range(0, 1) ? 2147483648n : -2147483648n)) + BigInt(rng.range(-3, 3));
      const num = fromBig(n);
      const den = fromBig(d);
      for (const [mode, ref] of [
        [Rounding.NEAREST_EVEN, rneDiv(n, d)],
        [Rounding.FLOOR, floorDiv(n, d)],
        [Rounding.CEIL, ceilDiv(n, d)],
      ] as const) {
        q.flags = 0;
        const got = wideDivToInt(q, num, den, mode, r, t);
        const want = sat(ref);
        expect([i, mode, got, q.flags]).toEqual([i, mode, want.value, want.flags]);
      }
      expect(toBig(num)).toBe(n); // inputs untouched
    }
    q.flags = 0;
    expect(wideDivToInt(q, fromBig(5n), fromBig(0n), Rounding.FLOOR, r, t)).toBe(0);
    expect(q.flags).toBe(Flag.DIV_ZERO);
  });
});
