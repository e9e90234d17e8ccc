/**
 * The fossil record (SPEC 12, src/model/fossil-record.ts): save and restore
 * of fossil flags, gardened offsets, CRT residues and level; restoring into
 * an updated model keeps the facets it kept and drops the ones it changed;
 * a malformed record is refused without writing anything and without
 * reading out of bounds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/engine/model.js';
import {
  FOSSIL_STATUS_MESSAGES,
  FossilStatus,
  facetRowHash,
  restoreFossilRecord,
  saveFossilRecord,
  type FossilShell,
  type FossilState,
} from '../../src/model/fossil-record.js';
import { crc32Bytes } from '../../src/wire/crc32.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { boxStackCompiled } from './fixture.js';
import { fixCrc, setI32 } from './image-util.js';

let model: ModelSpec;

beforeAll(async () => {
  model = (await boxStackCompiled()).model;
});

/** Engine-like parts of a model: one shell per family and level, offsets from the model, no fossils. */
function stateOf(m: ModelSpec): FossilState {
  const shells: FossilShell[] = [];
  for (const fam of m.families) {
    fam.levels.forEach((p, l) => {
      shells.push({
        family: fam.index,
        level: l,
        A: Int32Array.from(p.A.flat()),
        fossil: new Uint8Array(p.A.length),
        b: Int32Array.from(p.b),
        bMin: Int32Array.from(p.bMin ?? p.b),
        bMax: Int32Array.from(p.bMax ?? p.b),
      });
    });
  }
  return { f: m.f ?? 16, n: m.n, moduli: m.moduli, alpha: new Int32Array(m.moduli.length), level: 0, levels: m.levels.length, shells };
}

/** A state with some history: fossils, gardened offsets (inside the clamps), a residue vector, a level. */
function livedIn(m: ModelSpec): FossilState {
  const s = stateOf(m);
  s.shells[0].fossil[0] = 1;
  s.shells[0].fossil[3] = 1;
  s.shells[0].b[0] = s.shells[0].b[0] + 12345; // within bMax (+0.5 = 32768)
  s.shells[0].b[2] = s.shells[0].b[2] - 20000;
  s.shells[4].fossil[5] = 1; // family 1, level 1
  (s.alpha as Int32Array).set([1, 1, 1]);
  s.level = 2;
  return s;
}

const snapshot = (s: FossilState) => ({
  alpha: Array.from(s.alpha),
  level: s.level,
  shells: s.shells.map((sh) => ({ fossil: Array.from(sh.fossil), b: Array.from(sh.b) })),
});

describe('fossil record', () => {
  it('restores exactly what was saved into the same model', () => {
    const saved = livedIn(model);
    const blob = saveFossilRecord(saved);
    // 28 fixed + 2 x 3 x 4 (moduli, alpha) + 4 (CRC) + 6 shells x 8 + 37 facets x 12.
    expect(blob.length).toBe(28 + 24 + 4 + 6 * 8 + 37 * 12);
    const target = stateOf(model);
    const res = restoreFossilRecord(blob, target);
    expect(res).toEqual({ status: FossilStatus.OK, offset: 0, restored: 37, dropped: 0, indexRestored: 1, levelRestored: 1 });
    expect(snapshot(target)).toEqual(snapshot(saved));
  });

  it('is deterministic and versioned', () => {
    const a = saveFossilRecord(livedIn(model));
    const b = saveFossilRecord(livedIn(model));
    expect(a).toEqual(b);
    expect(String.fromCharCode(...a.subarray(0, 4))).toBe('MTKF');
    expect(a[4] | (a[5] << 8)).toBe(1);
    expect(crc32Bytes(a, 0, a.length - 4)).toBe(a[a.length - 4] | (a[a.length - 3] << 8) | (a[a.length - 2] << 16) | (a[a.length - 1] << 24));
  });

  it('an updated model that keeps a facet keeps its fossil and offset; a changed facet is not restored', () => {
    const blob = saveFossilRecord(livedIn(model));
    const updated = structuredClone(model);
    // Family 0, level 0: facet 2 (whose offset was gardened) gets a new normal; a facet is
    // added at the front, so every kept facet moves one id down; offsets and clamps change.
    const p = updated.families[0].levels[0];
    p.A[2] = [65536, 65536, 0];
    p.A.unshift([0, 65536, 65536]);
    p.b = [5 << 16, ...p.b];
    p.bMin = [5 << 16, ...p.bMin!];
    p.bMax = [5 << 16, ...p.bMax!];
    p.bMax[1] = p.b[1] + 1000; // facet 0 of the old model: its saved offset (+12345) is clamped
    p.shifts = [null, ...p.shifts!];
    const target = stateOf(updated);
    const res = restoreFossilRecord(blob, target);
    expect(res.status).toBe(FossilStatus.OK);
    expect(res.dropped).toBe(1); // the changed facet
    expect(res.restored).toBe(36);
    const sh = target.shells[0];
    // Old facet 0 -> id 1: fossil kept, gardened offset clamped to the new bMax.
    expect(sh.fossil[1]).toBe(1);
    expect(sh.b[1]).toBe(p.bMax[1]);
    // Old facet 3 -> id 4: fossil kept.
    expect(sh.fossil[4]).toBe(1);
    // Old facet 2 changed its normal: not restored (model offset and no fossil stay).
    expect(sh.b[3]).toBe(p.b[3]);
    expect(sh.fossil[3]).toBe(0);
    // The new facet 0 is untouched.
    expect(sh.fossil[0]).toBe(0);
    expect(sh.b[0]).toBe(5 << 16);
    // Other shells as saved.
    expect(Array.from(target.shells[4].fossil)).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('moduli, level count, Q format and dimension decide what is restored', () => {
    const blob = saveFossilRecord(livedIn(model));
    const other = stateOf(model);
    const otherModuli = { ...other, moduli: [3, 5, 11], alpha: new Int32Array(3) } as FossilState;
    const r1 = restoreFossilRecord(blob, otherModuli);
    expect(r1.indexRestored).toBe(0);
    expect(Array.from(otherModuli.alpha)).toEqual([0, 0, 0]);
    const fewerLevels = { ...stateOf(model), levels: 2 } as FossilState;
    const r2 = restoreFossilRecord(blob, fewerLevels);
    expect(r2.levelRestored).toBe(0);
    expect(fewerLevels.level).toBe(0);
    for (const changed of [{ f: 20 }, { n: 4 }]) {
      const t = { ...stateOf(model), ...changed } as FossilState;
      const before = snapshot(t);
      expect(restoreFossilRecord(blob, t)).toMatchObject({ status: FossilStatus.FORMAT_MISMATCH, offset: 12 });
      expect(snapshot(t)).toEqual(before);
    }
  });

  it('refuses malformed records with a status, writing nothing', () => {
    const blob = saveFossilRecord(livedIn(model));
    const len = blob.length;
    const cases: [Uint8Array, number, number][] = [
      [blob.slice(0, 10), FossilStatus.TOO_SHORT, 10],
      [(() => { const b = blob.slice(); b[0] = 0; return b; })(), FossilStatus.BAD_MAGIC, 0],
      [fixCrc((() => { const b = blob.slice(); b[4] = 2; return b; })()), FossilStatus.BAD_VERSION, 4],
      [fixCrc((() => { const b = blob.slice(); setI32(b, 8, -1); return b; })()), FossilStatus.BAD_SIZE, 8],
      [blob.slice(0, len - 1), FossilStatus.TRUNCATED, len - 1],
      [new Uint8Array([...blob, 0]), FossilStatus.TRAILING_BYTES, len],
      [(() => { const b = blob.slice(); b[100] ^= 1; return b; })(), FossilStatus.BAD_CRC, len - 4],
      [fixCrc((() => { const b = blob.slice(); setI32(b, 24, 7); return b; })()), FossilStatus.BAD_COUNT, len - 4],
      [fixCrc((() => { const b = blob.slice(); setI32(b, 24, 0x10000); return b; })()), FossilStatus.BAD_COUNT, 24],
      [fixCrc((() => { const b = blob.slice(); b[16] = 9; return b; })()), FossilStatus.BAD_VALUE, 16],
      [fixCrc((() => { const b = blob.slice(); b[52 + 8 + 8] = 2; return b; })()), FossilStatus.BAD_VALUE, 52 + 8 + 8],
      [fixCrc((() => { const b = blob.slice(); b[52 + 8 + 9] = 1; return b; })()), FossilStatus.BAD_VALUE, 52 + 8 + 8],
      [fixCrc((() => { const b = blob.slice(); b[52 + 6] = 0; b[52 + 7] = 0; return b; })()), FossilStatus.BAD_COUNT, 52 + 6],
    ];
    for (const [b, status, offset] of cases) {
      const t = stateOf(model);
      const before = snapshot(t);
      const res = restoreFossilRecord(b, t);
      expect([res.status, res.offset]).toEqual([status, offset]);
      expect(snapshot(t)).toEqual(before);
    }
    for (const code of Object.values(FossilStatus)) expect(FOSSIL_STATUS_MESSAGES[code]).toMatch(/\w/);
  });

  it('save refuses inconsistent parts, naming the field', () => {
    const s = stateOf(model);
    expect(() => saveFossilRecord({ ...s, shells: [{ ...s.shells[0], fossil: new Uint8Array(5) }] })).toThrow('fossil record: shells[0].fossil has 5 entries, b has 6');
    expect(() => saveFossilRecord({ ...s, alpha: new Int32Array(2) })).toThrow('fossil record: alpha has 2 residues, there are 3 moduli');
    expect(() => saveFossilRecord({ ...s, level: 3 })).toThrow('fossil record: level must be 0..2, got 3');
  });

  it('row hashes are the CRC-32 of the row as little-endian int32', () => {
    const A = Int32Array.from([1, -2, 3, 0x7fffffff, -0x80000000, 0]);
    const bytes = new Uint8Array(A.buffer.slice(12, 24));
    expect(facetRowHash(A, 3, 1)).toBe(crc32Bytes(bytes, 0, 12));
  });

  it(`fuzz: ${PURITY ? 500 : 20_000} mutated records never throw, never read out of bounds, never half-restore`, () => {
    const blob = saveFossilRecord(livedIn(model));
    const rng = new Rng(0xf055);
    const cases = PURITY ? 500 : 20_000;
    let ok = 0;
    for (let c = 0; c < cases; c++) {
      let b = blob.slice();
      const kind = rng.range(0, 3);
      if (kind === 0) b[rng.range(0, b.length - 1)] ^= 1 << rng.range(0, 7);
      else if (kind === 1) b = b.slice(0, rng.range(0, b.length - 1));
      else if (kind === 2) setI32(b, 4 * rng.range(0, (b.length >> 2) - 1), [0, -1, 0x7fffffff, 0x10000, rng.int32()][rng.range(0, 4)]);
      else b = new Uint8Array([...b, ...Array.from({ length: rng.range(1, 8) }, () => rng.range(0, 255))]);
      if (rng.range(0, 1) === 1 && b.length >= 8) fixCrc(b);
      const bad: string[] = [];
      const view = new Proxy(b, {
        get(t, p) {
          if (p === 'length') return t.length;
          if (typeof p === 'string' && /^\d+$/.test(p)) {
            if (Number(p) >= t.length) bad.push(p);
            return t[Number(p)];
          }
          bad.push(String(p));
          return Reflect.get(t, p, t) as unknown;
        },
      });
      const t = stateOf(model);
      const before = snapshot(t);
      const res = restoreFossilRecord(c % 10 === 0 ? view : b, t);
      expect(bad).toEqual([]);
      if (res.status === FossilStatus.OK) ok++;
      else expect(snapshot(t)).toEqual(before);
    }
    expect(ok).toBeGreaterThan(0);
  });
});
