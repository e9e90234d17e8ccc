/**
 * Bench cases for windows (SPEC 4) and context-aware quantization (SPEC 5),
 * in the format of tools/bench/cases.ts (group 'engine'; one unit = one call
 * of the whole operation, not one element).
 *
 * - `caq step (m=32, n=16)`: one `caqStep` (statistics, fossil counters,
 *   facet and axis classes, the level's steps, gardening on its period) for
 *   32 facets and 16 axes, four levels. Inputs alternate between two
 *   `<n_i, x>` vectors and two pressure vectors so the statistics keep
 *   moving; the level cycles 0..3; some facets fossilize along the way (the
 *   same ones in every engine); each run restarts from the initial state
 *   (once per run, so it cancels out). floorMacs = m x n = 512: the ratio compares
 *   a step with one bare 32 x 16 multiply-accumulate sweep.
 * - `window diagonal (n=16)`, `window full (n=16)`: one `inWindow` (the exact
 *   limb-accumulated quadratic form) at n = 16, over 64 points of which some
 *   are inside (s counts them); floorMacs n and n x n.
 *
 * Every input is in range: `q.flags` stays 0.
 */
import type { BenchCase } from './cases.js';

const ONE = 1 << 16; // 1.0 in Q16.16

const CAQ_SETUP = [
  'const q = M.createQ(16); const caqStep = M.caqStep;',
  'const m = 32; const n = 16; const levels = 4;',
  'const bMin = []; const bMax = [];',
  `for (let k = 0; k < m; k++) { bMin.push(${-16 * ONE}); bMax.push(${16 * ONE}); }`,
  'const st = M.createCaqState(m, n, levels, {',
  `  f: 16, rateShift: 3, varInit: ${8 * ONE}, trustVar: ${ONE / 4}, trustPressure: ${ONE}, volatileVar: ${2 * ONE},`,
  `  stableVar: [0x7fffffff, ${4 * ONE}, ${2 * ONE}, ${ONE}], deltaMin: 64, deltaMid: 256, deltaMax: 1024, scheduleShift: 1,`,
  `  fossilVar: ${ONE / 16}, fossilPressure: ${4 * ONE}, fossilSteps: 16, gardenPeriod: 4, gardenGain: ${ONE / 2}, gardenShift: 16, bMin, bMax,`,
  '});',
  // Normals: 32 x 16 from four fills (each 64 entries).
  'const A = new Int32Array(m * n);',
  `for (let k = 0; k < 8; k++) A.set(fill(${-ONE}, ${ONE}, 40 + k), 64 * k);`,
  'M.caqBindNormals(st, A);',
  'const ring = M.createEventRing(8);',
  // Two <n_i, x> vectors: facets 0..15 nearly constant, 16..31 spread.
  `const zA = fill(${-4 * ONE}, ${4 * ONE}, 11); const zB = fill(-64, 64, 12);`,
  'const z0 = new Int32Array(m); const z1 = new Int32Array(m);',
  'for (let k = 0; k < m; k++) { z0[k] = zA[k]; z1[k] = k < 16 ? (zA[k] + zB[k]) | 0 : zA[k + 32]; }',
  // Pressures: strong on facets 0..7, moderate elsewhere.
  `const uA = fill(${-8 * ONE}, ${8 * ONE}, 13);`,
  'const u0 = new Int32Array(m); const u1 = new Int32Array(m);',
  `for (let k = 0; k < m; k++) { u0[k] = k < 8 ? ${6 * ONE} : uA[k] >> 3; u1[k] = k < 8 ? ${5 * ONE} : uA[k + 32] >> 3; }`,
  `const b = new Int32Array(m); b.fill(${ONE});`,
].join(' ');

const windowSetup = (metric: 'diagonal' | 'full') =>
  [
    'const q = M.createQ(16); const inWindow = M.inWindow;',
    'const n = 16;',
    `const mu = fill(${-ONE}, ${ONE}, 21).subarray(0, n);`,
    metric === 'diagonal'
      ? `const S = fill(${ONE / 4}, ${4 * ONE}, 22).subarray(0, n);`
      : [
          // Diagonally dominant symmetric S (positive definite).
          'const S = new Int32Array(n * n); const off = fill(-2048, 2048, 22);',
          `for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) S[r * n + c] = r === c ? ${4 * ONE} : off[(r < c ? r * 3 + c : c * 3 + r) & 63];`,
        ].join(' '),
    `const w = M.createWindow(q, { metric: '${metric}', mu, S, eps: ${2 * ONE} });`,
    // 64 points, 16 coordinates each, around mu: x = mu + offsets.
    `const offs = []; for (let k = 0; k < 16; k++) offs.push(fill(${-ONE / 2}, ${ONE / 2}, 30 + k));`,
    'const xs = []; for (let p = 0; p < 64; p++) { const x = new Int32Array(n); for (let j = 0; j < n; j++) x[j] = (mu[j] + offs[j][p]) | 0; xs.push(x); }',
  ].join(' ');

export const CAQ_CASES: readonly BenchCase[] = [
  {
    name: 'caq step (m=32, n=16)',
    group: 'engine',
    needs: ['createCaqState', 'caqBindNormals', 'caqStep', 'caqReset', 'createEventRing', 'eventRingInit'],
    setup: CAQ_SETUP,
    // Each run starts from the same state (the reset is once per run, so it
    // cancels in the N / 2N difference): every engine ends with the same s.
    body:
      `if ((r | i) === 0) { M.caqReset(st); b.fill(${ONE}); M.eventRingInit(ring); } ` +
      's ^= caqStep(q, st, (i & 1) === 0 ? z0 : z1, (i & 2) === 0 ? u0 : u1, b, i & 3, i, ring, null, null);',
    floorMacs: 32 * 16,
  },
  {
    name: 'window diagonal (n=16)',
    group: 'engine',
    needs: ['createWindow', 'inWindow'],
    setup: windowSetup('diagonal'),
    body: 's = (s + (inWindow(q, w, xs[i]) ? 1 : 0)) | 0;',
    floorMacs: 16,
  },
  {
    name: 'window full (n=16)',
    group: 'engine',
    needs: ['createWindow', 'inWindow'],
    setup: windowSetup('full'),
    body: 's = (s + (inWindow(q, w, xs[i]) ? 1 : 0)) | 0;',
    floorMacs: 16 * 16,
  },
];
