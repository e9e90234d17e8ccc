/** Facet and axis classes: thresholds, precedence, the axis -> facet map. */
import { describe, expect, it } from 'vitest';
import {
  CaqClass,
  NO_FACET,
  caqBindNormals,
  caqClassifyAxes,
  caqClassifyFacets,
  createCaqState,
} from '../../src/caq/index.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { MAX, MIN, Q16, params } from './fixtures.js';

const { MID, TRUSTED, VOLATILE, FOSSILIZED } = CaqClass;

describe('caqClassifyFacets', () => {
  it('hand-worked: thresholds are strict, pressure by magnitude, precedence fossil > mask > variance', () => {
    // trustVar 0.25, trustPressure 1.0, volatileVar 2.0
    const st = createCaqState(9, 1, 1, params(9, 1));
    st.variance.set([0, Q16 / 4 - 1, Q16 / 4, 2 * Q16, 2 * Q16 + 1, 0, 0, 0, MAX]);
    const u = Int32Array.of(Q16 + 1, -Q16 - 1, Q16 + 1, 0, 0, Q16, MIN, Q16 + 1, Q16 + 1);
    caqClassifyFacets(st, u, null);
    expect(Array.from(st.facetClass)).toEqual([TRUSTED, TRUSTED, MID, MID, VOLATILE, MID, TRUSTED, TRUSTED, VOLATILE]);
    const mask = Uint8Array.of(0, 1, 0, 1, 0, 0, 0, 0, 0);
    st.fossil[7] = 1;
    st.fossil[1] = 1; // fossil beats the mask
    caqClassifyFacets(st, u, mask);
    expect(Array.from(st.facetClass)).toEqual([TRUSTED, FOSSILIZED, MID, VOLATILE, VOLATILE, MID, TRUSTED, FOSSILIZED, VOLATILE]);
  });

  it('property: random variances, pressures, masks and fossils follow the rule', () => {
    const rng = new Rng(0xc1a55);
    const m = 32;
    for (let run = 0; run < (PURITY ? 200 : 3000); run++) {
      const trustVar = rng.range(0, 1 << 20);
      const volatileVar = rng.range(trustVar, MAX);
      const trustPressure = rng.range(0, MAX);
      const st = createCaqState(m, 1, 1, params(m, 1, { trustVar, volatileVar, trustPressure }));
      const u = new Int32Array(m);
      const mask = new Uint8Array(m);
      for (let i = 0; i < m; i++) {
        const pick = rng.range(0, 4);
        st.variance[i] = pick === 0 ? trustVar : pick === 1 ? volatileVar : pick === 2 ? rng.range(0, 1 << 21) : rng.wide() & MAX;
        u[i] = rng.range(0, 3) === 0 ? (rng.range(0, 1) ? trustPressure : -trustPressure) : rng.wide();
        mask[i] = rng.range(0, 7) === 0 ? rng.range(1, 255) : 0;
        st.fossil[i] = rng.range(0, 9) === 0 ? 1 : 0;
      }
      const useMask = rng.range(0, 1) === 1;
      caqClassifyFacets(st, u, useMask ? mask : null);
      for (let i = 0; i < m; i++) {
        const v = st.variance[i];
        const want = st.fossil[i]
          ? FOSSILIZED
          : useMask && mask[i]
            ? VOLATILE
            : v > volatileVar
              ? VOLATILE
              : v < trustVar && Math.abs(u[i]) > trustPressure
                ? TRUSTED
                : MID;
        if (st.facetClass[i] !== want) throw new Error(`run ${run} facet ${i}: var ${v} u ${u[i]} -> ${st.facetClass[i]}, want ${want}`);
      }
    }
  });
});

describe('caqBindNormals and caqClassifyAxes', () => {
  it('hand-worked: largest |a_ij| wins, ties to the lower facet id, zero columns have no facet', () => {
    const st = createCaqState(3, 5, 1, params(3, 1));
    // prettier-ignore
    const A = Int32Array.of(
      1, -7, 0, 3, MIN,
      -5, 7, 0, -3, MAX,
      4, 6, 0, 3, -MAX,
    );
    caqBindNormals(st, A);
    expect(Array.from(st.axisFacet)).toEqual([1, 0, NO_FACET, 0, 0]);
    st.facetClass.set([TRUSTED, VOLATILE, FOSSILIZED]);
    caqClassifyAxes(st, null);
    expect(Array.from(st.axisClass)).toEqual([VOLATILE, TRUSTED, MID, TRUSTED, TRUSTED]);
    // the axis mask makes axes VOLATILE, except a fossil's
    st.facetClass.set([FOSSILIZED, MID, MID]);
    caqClassifyAxes(st, Uint8Array.of(1, 1, 1, 0, 0));
    expect(Array.from(st.axisClass)).toEqual([VOLATILE, FOSSILIZED, VOLATILE, FOSSILIZED, FOSSILIZED]);
  });

  it('property: random normals with many ties agree with a direct argmax', () => {
    const rng = new Rng(0xa11);
    for (let run = 0; run < (PURITY ? 300 : 5000); run++) {
      const m = rng.range(1, 12);
      const n = rng.range(1, 6);
      const st = createCaqState(m, n, 1, params(m, 1));
      const pool = [0, 1, -1, 2, -2, MAX, -MAX, MIN, rng.wide()];
      const A = new Int32Array(m * n);
      for (let k = 0; k < m * n; k++) A[k] = pool[rng.range(0, pool.length - 1)];
      caqBindNormals(st, A);
      for (let j = 0; j < n; j++) {
        let best = NO_FACET;
        let bestMag = 0;
        for (let i = 0; i < m; i++) {
          const mag = Math.abs(A[i * n + j]);
          if (mag > bestMag) {
            bestMag = mag;
            best = i;
          }
        }
        if (st.axisFacet[j] !== best) throw new Error(`run ${run} axis ${j}: got ${st.axisFacet[j]}, want ${best}`);
      }
    }
  });
});
