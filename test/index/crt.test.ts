/**
 * CRT index (SPEC 10): validation messages, exhaustive and sampled round
 * trips against an independent reference, the shift as a group action, the
 * family table, and total (never-throwing) behaviour on invalid input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CrtLimit,
  createCrtIndex,
  createResidues,
  familyOf,
  familyOfResidues,
  shiftResidues,
  toIndex,
  toResidues,
  UNDEFINED_INDEX,
} from '../../src/index/crt.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';

// ---------------------------------------------------------------------------
// Shared moduli sets (one labelled list, used by every block below)
// ---------------------------------------------------------------------------

/** Small sets: every index is checked. */
const SMALL_SETS: readonly (readonly number[])[] = [
  [2],
  [97],
  [3, 5, 7],
  [7, 5, 3], // same set, other order: residue vectors follow the caller's order
  [4, 9, 25],
  [2, 3, 5, 7, 11, 13],
  [64, 3],
  ...(PURITY ? [] : [[5, 7, 9, 11, 13, 16]]), // 720720 indices
];

/** Large sets (M near 2^31, or a modulus above 46340): sampled. */
const LARGE_SETS: readonly (readonly number[])[] = [
  [46337, 46339], // M = 2147210243, both below 46341
  [2147483647], // r = 1, the largest modulus
  [2, 1073741823], // a modulus above 46340 last in the caller's order
  [1073741823, 2],
  [3, 715827881], // M = 2147483643
  [65536, 32767], // M = 2147418112, the even one large
  [1031, 1033, 2011], // M = 2141761253
  [3, 5, 7, 11, 13, 17, 19, 23], // r = 8
  [2, 3, 5, 7, 11, 13, 17, 19],
];

const ALL_SETS = [...SMALL_SETS, ...LARGE_SETS];
const SAMPLES = PURITY ? 2_000 : 50_000;

function product(moduli: readonly number[]): number {
  return moduli.reduce((a, b) => a * b, 1);
}

/** Reference: the index with these residues, by BigInt CRT (independent of the implementation). */
function refIndex(moduli: readonly number[], alpha: ArrayLike<number>): number {
  const M = moduli.reduce((a, b) => a * BigInt(b), 1n);
  let x = 0n;
  for (let j = 0; j < moduli.length; j++) {
    const p = BigInt(moduli[j]);
    const Mj = M / p;
    // Mj^-1 mod p by brute-force-free extended Euclid on BigInt.
    let [r0, r1, t0, t1] = [p, Mj % p, 0n, 1n];
    while (r1 !== 0n) {
      const quot = r0 / r1;
      [r0, r1] = [r1, r0 - quot * r1];
      [t0, t1] = [t1, t0 - quot * t1];
    }
    const inv = ((t0 % p) + p) % p;
    x = (x + BigInt(alpha[j]) * Mj * inv) % M;
  }
  return Number(x);
}

/** All residue vectors of a small set, enumerated as a mixed-radix counter (not via the implementation). */
function* allResidueVectors(moduli: readonly number[]): Generator<Int32Array> {
  const a = new Int32Array(moduli.length);
  for (;;) {
    yield a;
    let j = 0;
    while (j < moduli.length) {
      a[j] = a[j] + 1;
      if (a[j] < moduli[j]) break;
      a[j] = 0;
      j++;
    }
    if (j === moduli.length) return;
  }
}

function randomResidues(rng: Rng, moduli: readonly number[], out: Int32Array): Int32Array {
  for (let j = 0; j < moduli.length; j++) out[j] = rng.range(0, moduli[j] - 1);
  return out;
}

/** Random index with edges mixed in: 0, 1, M-1, M-2. */
function randomIndex(rng: Rng, M: number, i: number): number {
  const edges = [0, 1, M - 1, M - 2];
  return i < edges.length ? Math.max(0, edges[i]) : rng.range(0, M - 1);
}

// ---------------------------------------------------------------------------

describe('createCrtIndex: validation with named messages', () => {
  const bad: [string, unknown, ErrorConstructor, string][] = [
    ['not an array', 105, TypeError, 'CRT index: moduli must be an array of integers, got 105'],
    ['a string', '3,5', TypeError, 'moduli must be an array of integers, got "3,5"'],
    ['no moduli', [], RangeError, 'CRT index: expected 1 to 8 moduli, got 0'],
    ['nine moduli', [2, 3, 5, 7, 11, 13, 17, 19, 23], RangeError, 'expected 1 to 8 moduli, got 9'],
    ['a fraction', [3, 1.5], TypeError, 'CRT index: moduli[1] = 1.5 is not an integer'],
    ['NaN', [NaN], TypeError, 'moduli[0] = NaN is not an integer'],
    ['Infinity', [3, Infinity], TypeError, 'moduli[1] = Infinity is not an integer'],
    ['a numeric string', [3, '5'], TypeError, 'moduli[1] = "5" is not an integer'],
    ['1', [1, 3], RangeError, 'CRT index: moduli[0] = 1 is below 2'],
    ['0', [3, 0], RangeError, 'moduli[1] = 0 is below 2'],
    ['negative', [3, -5], RangeError, 'moduli[1] = -5 is below 2'],
    ['2^31', [2147483648], RangeError, 'CRT index: moduli[0] = 2147483648 is not below 2^31'],
    ['shared factor 3', [3, 5, 9], RangeError, 'CRT index: moduli[2] = 9 shares a factor 3 with moduli[0] = 3'],
    ['equal moduli', [7, 7], RangeError, 'moduli[1] = 7 shares a factor 7 with moduli[0] = 7'],
    ['shared factor 6', [5, 12, 18], RangeError, 'moduli[2] = 18 shares a factor 6 with moduli[1] = 12'],
    ['product just over', [32768, 65537], RangeError, 'CRT index: product 2147516416 of moduli is not below 2^31'],
    ['product 2^31 + 1', [3, 715827883], RangeError, 'product 2147483649 of moduli is not below 2^31'],
  ];
  it.each(bad)('%s', (_name, moduli, kind, message) => {
    expect(() => createCrtIndex(moduli as number[])).toThrow(kind);
    expect(() => createCrtIndex(moduli as number[])).toThrow(message);
  });

  it('names the exact product, however large', () => {
    const moduli = [2147483647, 2147483629, 2147483587, 11, 13, 17, 19, 23];
    const exact = moduli.reduce((a, b) => a * BigInt(b), 1n).toString();
    expect(() => createCrtIndex(moduli)).toThrow(`product ${exact} of moduli is not below 2^31`);
  });

  it('accepts the limits: 8 moduli, a modulus and a product of 2^31 - 1, 7 moduli with product 2^31 - 2', () => {
    expect(createCrtIndex([3, 5, 7, 11, 13, 17, 19, 23]).size).toBe(111546435);
    expect(createCrtIndex([2147483647]).size).toBe(2147483647);
    expect(createCrtIndex([9, 7, 11, 31, 151, 331, 2]).size).toBe(2147483646);
    expect(CrtLimit).toEqual({ MIN_MODULI: 1, MAX_MODULI: 8, MIN_MODULUS: 2 });
  });

  const badFamilies: [string, unknown, ErrorConstructor, string][] = [
    ['not a table', 7, TypeError, 'families must be an array of { index, family } or { indices, families }, got 7'],
    ['null entry', [null], TypeError, 'families[0] must be an object { index, family }, got null'],
    ['fractional index', [{ index: 0.5, family: 1 }], TypeError, 'families[0].index = 0.5 is not an integer'],
    ['missing family', [{ index: 3 }], TypeError, 'families[0].family = undefined is not an integer'],
    ['index = M', [{ index: 1, family: 0 }, { index: 105, family: 0 }], RangeError, 'families[1].index = 105 is outside the indices 0..104'],
    ['negative index', [{ index: -1, family: 0 }], RangeError, 'families[0].index = -1 is outside the indices 0..104'],
    ['negative family', [{ index: 2, family: -1 }], RangeError, 'families[0].family = -1 is outside the family ids 0..2^31-1'],
    ['family 2^31', [{ index: 2, family: 2147483648 }], RangeError, 'families[0].family = 2147483648 is outside'],
    [
      'duplicate index',
      [{ index: 17, family: 1 }, { index: 3, family: 1 }, { index: 5, family: 2 }, { index: 17, family: 1 }],
      RangeError,
      'CRT index: families[3].index = 17 is already mapped by families[0].index',
    ],
    ['columns of different lengths', { indices: [1, 2], families: [0] }, RangeError, 'families.indices has 2 entries but families.families has 1'],
    ['columns not arrays', { indices: 3, families: [0] }, TypeError, 'families.indices must be an array, got 3'],
    ['column index out of range', { indices: [1, 200], families: [0, 0] }, RangeError, 'families.indices[1] = 200 is outside'],
    ['column duplicate', { indices: new Int32Array([4, 9, 4]), families: [0, 1, 2] }, RangeError, 'families.indices[2] = 4 is already mapped by families.indices[0]'],
  ];
  it.each(badFamilies)('families: %s', (_name, families, kind, message) => {
    expect(() => createCrtIndex([3, 5, 7], families as never)).toThrow(kind);
    expect(() => createCrtIndex([3, 5, 7], families as never)).toThrow(message);
  });

  it('copies its inputs and precomputes the Garner tables', () => {
    const moduli = new Int32Array([3, 46337, 5]); // also accepts an Int32Array
    const crt = createCrtIndex(moduli, [{ index: 4, family: 1 }]);
    moduli[0] = 4;
    expect(crt.moduli).toEqual([3, 46337, 5]);
    expect(crt.order).toEqual([1, 2, 0]);
    expect(crt.q).toEqual([46337, 5, 3]);
    expect(crt.radix).toEqual([1, 46337, 46337 * 5]);
    for (const set of ALL_SETS) {
      const c = createCrtIndex(set);
      expect(c.size).toBe(product(set));
      for (let k = 1; k < c.r; k++) {
        expect(c.q[k]).toBeLessThan(c.q[k - 1]); // decreasing
        expect(c.q[k]).toBeLessThanOrEqual(46340); // so d * c_k fits an int32
        expect(Number((BigInt(c.radix[k]) * BigInt(c.inverse[k])) % BigInt(c.q[k]))).toBe(1);
      }
      expect(Object.isFrozen(c) && Object.isFrozen(c.moduli)).toBe(true);
    }
  });
});

describe('round trip: residues <-> index', () => {
  it.each(SMALL_SETS.map((s) => [s.join(','), s] as const))('every index of [%s]', (_n, moduli) => {
    const crt = createCrtIndex(moduli);
    const M = crt.size;
    const out = createResidues(crt);
    let bad = 0;
    for (let i = 0; i < M; i++) {
      toResidues(out, crt, i);
      for (let j = 0; j < moduli.length; j++) if (out[j] !== i % moduli[j]) bad++;
      if (toIndex(crt, out) !== i) bad++;
    }
    // The other direction, from every residue vector (enumerated independently).
    const seen = new Uint8Array(M);
    let vectors = 0;
    for (const a of allResidueVectors(moduli)) {
      const x = toIndex(crt, a);
      if (!(x >= 0 && x < M) || seen[x]) bad++;
      else seen[x] = 1;
      toResidues(out, crt, x);
      for (let j = 0; j < moduli.length; j++) if (out[j] !== a[j]) bad++;
      vectors++;
    }
    expect(vectors).toBe(M);
    expect(bad).toBe(0);
  });

  it.each(LARGE_SETS.map((s) => [s.join(','), s] as const))('sampled indices and residues of [%s]', (_n, moduli) => {
    const crt = createCrtIndex(moduli);
    const M = crt.size;
    const rng = new Rng(0xc47 ^ M);
    const out = createResidues(crt);
    const a = createResidues(crt);
    const failures: string[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const x = randomIndex(rng, M, i);
      toResidues(out, crt, x);
      for (let j = 0; j < moduli.length; j++) if (out[j] !== x % moduli[j]) failures.push(`toResidues ${x}`);
      if (toIndex(crt, out) !== x) failures.push(`round trip ${x}`);
      randomResidues(rng, moduli, a);
      if (i < 64) for (let j = 0; j < moduli.length; j++) a[j] = i & (1 << j) ? moduli[j] - 1 : 0; // corners
      const want = refIndex(moduli, a);
      if (toIndex(crt, a) !== want) failures.push(`toIndex [${a.join(',')}] want ${want}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe('invalid input: UNDEFINED_INDEX, never a throw', () => {
  it('UNDEFINED_INDEX is -1', () => {
    expect(UNDEFINED_INDEX).toBe(-1);
  });

  it.each(ALL_SETS.map((s) => [s.join(','), s] as const))('[%s]', (_n, moduli) => {
    const crt = createCrtIndex(moduli, [{ index: 0, family: 5 }]);
    const r = moduli.length;
    const M = crt.size;
    const a = createResidues(crt);
    const out = createResidues(crt);
    const zero = createResidues(crt);
    for (let j = 0; j < r; j++) {
      for (const v of [-1, moduli[j], moduli[j] + 1, -0x7fffffff - 1, 0x7fffffff]) {
        a.fill(0);
        a[j] = v;
        expect(toIndex(crt, a)).toBe(UNDEFINED_INDEX);
        expect(familyOfResidues(crt, a)).toBe(UNDEFINED_INDEX);
        out.fill(7);
        expect(shiftResidues(out, crt, a, zero)).toBe(out);
        expect([...out]).toEqual(new Array(r).fill(UNDEFINED_INDEX));
        out.fill(7);
        shiftResidues(out, crt, zero, a);
        expect([...out]).toEqual(new Array(r).fill(UNDEFINED_INDEX));
        // Aliased output: the same all-undefined result.
        const b = Int32Array.from(a);
        shiftResidues(b, crt, b, zero);
        expect([...b]).toEqual(new Array(r).fill(UNDEFINED_INDEX));
      }
    }
    // Wrong lengths.
    for (const len of [0, r - 1, r + 1]) {
      const w = new Int32Array(len);
      expect(toIndex(crt, w)).toBe(UNDEFINED_INDEX);
      expect(familyOfResidues(crt, w)).toBe(UNDEFINED_INDEX);
      w.fill(3);
      expect(toResidues(w, crt, 0)).toBe(w);
      expect([...w]).toEqual(new Array(len).fill(UNDEFINED_INDEX));
      w.fill(3);
      shiftResidues(w, crt, zero, zero);
      expect([...w]).toEqual(new Array(len).fill(UNDEFINED_INDEX));
      out.fill(3);
      shiftResidues(out, crt, w, zero);
      expect([...out]).toEqual(new Array(r).fill(UNDEFINED_INDEX));
    }
    // Indices that are not 0..M-1 integers.
    for (const x of [UNDEFINED_INDEX, M, M + 1, -2, 0.5, M - 0.5, NaN, Infinity, -Infinity, -0x7fffffff - 1]) {
      out.fill(3);
      expect(toResidues(out, crt, x)).toBe(out);
      expect([...out]).toEqual(new Array(r).fill(UNDEFINED_INDEX));
      expect(toIndex(crt, out)).toBe(UNDEFINED_INDEX); // undefined stays undefined
      expect(familyOf(crt, x)).toBe(UNDEFINED_INDEX);
    }
    // -0 is the index 0.
    toResidues(out, crt, -0);
    expect([...out]).toEqual(new Array(r).fill(0));
    expect(familyOf(crt, -0)).toBe(5);
  });
});

/** `s1 (+) s2` computed independently of `shift`, through integers. */
function refShift(moduli: readonly number[], a: ArrayLike<number>, s: ArrayLike<number>): number[] {
  return moduli.map((p, j) => (a[j] + s[j]) % p);
}

describe('shift: the group action of Z_p0 x ... x Z_p(r-1)', () => {
  it.each(SMALL_SETS.filter((s) => product(s) <= 30030).map((s) => [s.join(','), s] as const))(
    'identity, inverse and transitivity on every index of [%s]',
    (_n, moduli) => {
      const crt = createCrtIndex(moduli);
      const M = crt.size;
      const zero = createResidues(crt);
      const a = createResidues(crt);
      const s = createResidues(crt);
      const neg = createResidues(crt);
      const out = createResidues(crt);
      let bad = 0;
      for (let x = 0; x < M; x++) {
        toResidues(a, crt, x);
        // Shift by 0 is the identity.
        shiftResidues(out, crt, a, zero);
        if (toIndex(crt, out) !== x) bad++;
        // Shift by s then by -s is the identity (the action is by a group).
        toResidues(s, crt, (x * 7 + 3) % M);
        for (let j = 0; j < moduli.length; j++) neg[j] = (moduli[j] - s[j]) % moduli[j];
        shiftResidues(out, crt, a, s);
        shiftResidues(out, crt, out, neg);
        if (toIndex(crt, out) !== x) bad++;
      }
      // Every index is reachable from any start, each exactly once as s runs over all shifts.
      for (const start of [0, 1, M - 1, M >> 1]) {
        toResidues(a, crt, start);
        const hit = new Uint8Array(M);
        for (let t = 0; t < M; t++) {
          toResidues(s, crt, t);
          const y = toIndex(crt, shiftResidues(out, crt, a, s));
          if (hit[y]) bad++;
          hit[y] = 1;
          if (y !== (start + t) % M) bad++; // and it adds indices mod M
        }
      }
      // The orbit of 0 under repeated shifts by the residues of 1 is all M indices.
      const one = toResidues(createResidues(crt), crt, M > 1 ? 1 : 0);
      a.fill(0);
      const orbit = new Uint8Array(M);
      let steps = 0;
      do {
        orbit[toIndex(crt, a)] = 1;
        shiftResidues(a, crt, a, one);
        steps++;
      } while (toIndex(crt, a) !== 0 && steps <= M);
      expect(steps).toBe(M);
      expect(orbit.every((v) => v === 1)).toBe(true);
      expect(bad).toBe(0);
    },
  );

  /** A moduli set and residue vectors for it, as fast-check arbitraries. */
  const setAndVectors = (k: number) =>
    fc.constantFrom(...ALL_SETS).chain((moduli) =>
      fc.tuple(
        fc.constant(moduli),
        fc.tuple(...Array.from({ length: k }, () => fc.tuple(...moduli.map((p) => fc.integer({ min: 0, max: p - 1 }))))),
      ),
    );
  const runs = PURITY ? 300 : 5_000;

  it('shiftResidues(s1) then shiftResidues(s2) equals shiftResidues(s1 (+) s2), and matches index addition mod M', () => {
    fc.assert(
      fc.property(setAndVectors(3), ([moduli, [av, s1v, s2v]]) => {
        const crt = createCrtIndex(moduli);
        const a = Int32Array.from(av);
        const s1 = Int32Array.from(s1v);
        const s2 = Int32Array.from(s2v);
        const left = shiftResidues(createResidues(crt), crt, shiftResidues(createResidues(crt), crt, a, s1), s2);
        const s12 = shiftResidues(createResidues(crt), crt, s1, s2);
        const right = shiftResidues(createResidues(crt), crt, a, s12);
        expect([...left]).toEqual([...right]);
        expect([...s12]).toEqual(refShift(moduli, s1, s2));
        const M = BigInt(crt.size);
        const sum = (BigInt(toIndex(crt, a)) + BigInt(toIndex(crt, s1))) % M;
        expect(toIndex(crt, shiftResidues(createResidues(crt), crt, a, s1))).toBe(Number(sum));
      }),
      { seed: 0x5eed, numRuns: runs },
    );
  });

  it('out may be alpha, s, or both: the same result as a separate out', () => {
    fc.assert(
      fc.property(setAndVectors(2), ([moduli, [av, sv]]) => {
        const crt = createCrtIndex(moduli);
        const want = refShift(moduli, av, sv);
        const sep = createResidues(crt);
        shiftResidues(sep, crt, Int32Array.from(av), Int32Array.from(sv));
        expect([...sep]).toEqual(want);
        const a1 = Int32Array.from(av);
        expect(shiftResidues(a1, crt, a1, Int32Array.from(sv))).toBe(a1); // out = alpha
        expect([...a1]).toEqual(want);
        const s1 = Int32Array.from(sv);
        shiftResidues(s1, crt, Int32Array.from(av), s1); // out = s
        expect([...s1]).toEqual(want);
        const both = Int32Array.from(av);
        shiftResidues(both, crt, both, both); // out = alpha = s: doubling
        expect([...both]).toEqual(refShift(moduli, av, av));
      }),
      { seed: 0xa11a5, numRuns: runs },
    );
  });

  it('no overflow when residues sum past 2^31', () => {
    const crt = createCrtIndex([2147483647]);
    const a = Int32Array.of(2147483646);
    shiftResidues(a, crt, a, a);
    expect(a[0]).toBe(2147483645);
    const c2 = createCrtIndex([2, 1073741823]);
    const b = Int32Array.of(1, 1073741822);
    shiftResidues(b, c2, b, b);
    expect([...b]).toEqual([0, 1073741821]);
  });
});

describe('family table', () => {
  function sparseTable(rng: Rng, M: number, n: number): { index: number; family: number }[] {
    const used = new Set<number>();
    const t: { index: number; family: number }[] = [];
    while (t.length < n) {
      const index = t.length === 0 ? 0 : t.length === 1 ? M - 1 : rng.range(0, M - 1);
      if (used.has(index)) continue;
      used.add(index);
      t.push({ index, family: t.length === 2 ? 0x7fffffff : rng.range(0, 1000) });
    }
    return t;
  }

  it.each(ALL_SETS.map((s) => [s.join(','), s] as const))('lookup agrees with a Map on [%s]', (_n, moduli) => {
    const M = product(moduli);
    const rng = new Rng(0xfa ^ M);
    for (const n of [0, 1, 2, 3, 17, Math.min(M, 1000)]) {
      const table = sparseTable(rng, M, Math.min(n, M));
      const ref = new Map(table.map((e) => [e.index, e.family]));
      const crt = createCrtIndex(moduli, table);
      const cols = createCrtIndex(moduli, {
        indices: Int32Array.from(table, (e) => e.index),
        families: table.map((e) => e.family),
      });
      const a = createResidues(crt);
      let bad = 0;
      const probe = (x: number) => {
        const want = ref.get(x) ?? UNDEFINED_INDEX;
        if (familyOf(crt, x) !== want || familyOf(cols, x) !== want) bad++;
        toResidues(a, crt, x);
        if (familyOfResidues(crt, a) !== want) bad++;
      };
      if (M <= 30030) for (let x = 0; x < M; x++) probe(x);
      else {
        for (const e of table) probe(e.index);
        for (let i = 0; i < 2000; i++) probe(randomIndex(rng, M, i));
      }
      expect(bad).toBe(0);
      expect(crt.familyIndex.length).toBe(table.length);
      for (let i = 1; i < crt.familyIndex.length; i++) expect(crt.familyIndex[i]).toBeGreaterThan(crt.familyIndex[i - 1]);
    }
  });

  it('no table: every index is UNDEFINED_INDEX', () => {
    const crt = createCrtIndex([3, 5, 7]);
    for (let x = 0; x < 105; x++) expect(familyOf(crt, x)).toBe(UNDEFINED_INDEX);
  });
});
