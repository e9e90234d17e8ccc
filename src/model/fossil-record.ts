/**
 * The fossil record (SPEC 12): what the engine has learnt about its facets
 * (which fossilized, where gardening moved their offsets) and where the
 * state is (CRT index, level), saved to a small binary blob that survives a
 * reboot and a model update that keeps the same facets.
 *
 * The API works on plain arrays, the engine's own per-shell parts
 * (`CaqState.fossil`, the polytope's `b`, `alpha`, `level`), so it does not
 * depend on how the engine stores them:
 *
 *     const blob = saveFossilRecord(state);          // Uint8Array
 *     const res = restoreFossilRecord(blob, state2); // writes into state2's arrays
 *
 * A facet is identified by (family CRT index, level, facet id) AND the
 * CRC-32 of its normal row `A_i` (n int32, little-endian). On restore a saved
 * facet goes to the target facet with the same id if the row hashes agree;
 * otherwise to the one facet of the same shell whose row has that hash (so a
 * facet inserted or removed before it does not lose it); otherwise it is
 * dropped. A facet whose normal changed is never restored. A restored offset
 * is clamped into the target's gardening range `[bMin_i, bMax_i]` when the
 * caller gives one.
 *
 * Blob (little-endian, docs/image-format.md "Fossil record"):
 *
 *     0  i32  magic 'MTKF'          4  u16 version (1), u16 0
 *     8  u32  total bytes           12 u8 f, u8 n, u8 r, u8 0
 *     16 i32  level                 20 u32 levels (L + 1)
 *     24 u32  shell count S         28 r x i32 moduli, then r x i32 alpha
 *     per shell: i32 family index, u16 level, u16 m,
 *                m x { i32 row hash, i32 b, u8 fossil (0/1), u8[3] 0 }
 *     trailing CRC-32 of every byte before it
 *
 * Restore validates the whole blob (sizes, CRC, values) before it writes
 * anything, and never throws or reads out of bounds on a malformed blob.
 * Integer-pure; runs at load time (allocates a few small arrays).
 */
import { crc32Byte, crc32Bytes, CRC32_INIT, crc32Final } from '../wire/crc32.js';
import { FOSSIL_MAGIC, FOSSIL_VERSION } from './format.js';
import { createReader, peekI32, peekU16, readCount, readerFail, readerHas, readI32, readU16, readU8, type Reader } from './reader.js';

/** An array the record writes into (Int32Array, Uint8Array or number[]). */
export interface WritableInts {
  readonly length: number;
  [i: number]: number;
}

/** One shell (a family's polytope at one level) as the engine holds it. */
export interface FossilShell {
  /** The CRT index of the shell's family (`FamilySpec.index`), 0..2^31-1. */
  readonly family: number;
  /** Its level, 0..65535. */
  readonly level: number;
  /** m x n, row-major, Q: the facet normals (hashed, never stored). */
  readonly A: ArrayLike<number>;
  /** m: 1 if the facet is fossilized (`CaqState.fossil`). Restore writes matched facets. */
  readonly fossil: WritableInts;
  /** m, Q: the current (gardened) offsets. Restore writes matched facets. */
  readonly b: WritableInts;
  /** m, Q: the gardening clamp a restored offset is held in (restore only; both or neither). */
  readonly bMin?: ArrayLike<number>;
  readonly bMax?: ArrayLike<number>;
}

/** The engine state a record holds. */
export interface FossilState {
  /** Fractional bits of the model's Q format. */
  readonly f: number;
  /** State dimension (row length of every A). */
  readonly n: number;
  /** The CRT moduli (r). */
  readonly moduli: ArrayLike<number>;
  /** r: the CRT residues. Restore writes them when the moduli are the same. */
  readonly alpha: WritableInts;
  /** Matrioshka level. Restore sets it when the saved level is below `levels`. */
  level: number;
  /** L + 1 of the model. */
  readonly levels: number;
  readonly shells: readonly FossilShell[];
}

/** What `restoreFossilRecord` returns in `status`. */
export const FossilStatus = {
  OK: 0,
  /** Fewer bytes than the fixed part and a CRC. */
  TOO_SHORT: 1,
  /** Not a fossil record. */
  BAD_MAGIC: 2,
  /** A version this code does not read. */
  BAD_VERSION: 3,
  /** Total size field out of range, or a reserved field not 0. */
  BAD_SIZE: 4,
  /** Fewer bytes than the total size. */
  TRUNCATED: 5,
  /** More bytes than the total size. */
  TRAILING_BYTES: 6,
  /** CRC-32 mismatch. */
  BAD_CRC: 7,
  /** A count or size inside the record is inconsistent. */
  BAD_COUNT: 8,
  /** A value out of range (fossil flag, padding, residue). */
  BAD_VALUE: 9,
  /** The record is for another Q format or state dimension: nothing restored. */
  FORMAT_MISMATCH: 10,
} as const;
export type FossilStatus = (typeof FossilStatus)[keyof typeof FossilStatus];

export const FOSSIL_STATUS_MESSAGES: readonly string[] = [
  'ok',
  'fossil record too short',
  "not a fossil record (magic is not 'MTKF')",
  'fossil record version not supported',
  'bad size or reserved field',
  'fossil record truncated',
  'bytes after the end of the fossil record',
  'CRC-32 mismatch: the fossil record is corrupted',
  'a count in the fossil record is inconsistent',
  'a value in the fossil record is out of range',
  'the record is for another Q format or state dimension',
];

export interface FossilResult {
  /** FossilStatus; nothing was written unless it is OK. */
  readonly status: FossilStatus;
  /** Byte offset of the offending field (0 when OK). */
  readonly offset: number;
  /** Facets restored (fossil flag and offset written). */
  readonly restored: number;
  /** Saved facets with no matching facet in the target (changed normal, or gone). */
  readonly dropped: number;
  /** 1 if alpha was restored (same moduli), else 0. */
  readonly indexRestored: number;
  /** 1 if the level was restored, else 0. */
  readonly levelRestored: number;
}

const FIXED_BYTES = 28;
const FACET_BYTES = 12;
const SHELL_HEAD_BYTES = 8;
/** Largest record accepted (1 MiB). */
const FOSSIL_MAX_BYTES = 0x100000;

/**
 * CRC-32 of row i of a row-major m x n table (n int32, little-endian bytes):
 * the identity of a facet's normal.
 */
export function facetRowHash(A: ArrayLike<number>, n: number, i: number): number {
  let c = CRC32_INIT;
  const start = i * n;
  for (let j = 0; j < n; j++) {
    const w = A[start + j];
    c = crc32Byte(c, w & 0xff);
    c = crc32Byte(c, (w >> 8) & 0xff);
    c = crc32Byte(c, (w >> 16) & 0xff);
    c = crc32Byte(c, (w >> 24) & 0xff);
  }
  return crc32Final(c);
}

/** Writes the int32 `v` little-endian at `out[at..at+4)`. */
function put32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >> 8) & 0xff;
  out[at + 2] = (v >> 16) & 0xff;
  out[at + 3] = (v >> 24) & 0xff;
}

/** Writes the low 16 bits of `v` little-endian at `out[at..at+2)`. */
function put16(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >> 8) & 0xff;
}

/** Validates the state's shapes for saving; throws a RangeError naming the field. */
function checkState(s: FossilState): void {
  const fail = (what: string): never => {
    throw new RangeError(`fossil record: ${what}`);
  };
  if (!(s.f >= 1 && s.f <= 31)) fail(`f must be 1..31, got ${s.f}`);
  if (!(s.n >= 1 && s.n <= 255)) fail(`n must be 1..255, got ${s.n}`);
  if (!(s.moduli.length >= 1 && s.moduli.length <= 255)) fail(`moduli must have 1..255 entries, got ${s.moduli.length}`);
  if (s.alpha.length !== s.moduli.length) fail(`alpha has ${s.alpha.length} residues, there are ${s.moduli.length} moduli`);
  if (!(s.levels >= 1 && s.levels <= 65535)) fail(`levels must be 1..65535, got ${s.levels}`);
  if (!(s.level >= 0 && s.level < s.levels)) fail(`level must be 0..${s.levels - 1}, got ${s.level}`);
  for (let k = 0; k < s.shells.length; k++) {
    const sh = s.shells[k];
    const m = sh.b.length;
    if (!(m >= 1 && m <= 65535)) fail(`shells[${k}].b must have 1..65535 entries, got ${m}`);
    if (sh.fossil.length !== m) fail(`shells[${k}].fossil has ${sh.fossil.length} entries, b has ${m}`);
    if (sh.A.length !== m * s.n) fail(`shells[${k}].A has ${sh.A.length} entries, m x n is ${m * s.n}`);
    if (!(sh.level >= 0 && sh.level <= 65535)) fail(`shells[${k}].level must be 0..65535, got ${sh.level}`);
    if (!(sh.family >= 0)) fail(`shells[${k}].family must be >= 0, got ${sh.family}`);
  }
}

/**
 * Bytes of the record of `state` (shapes as `saveFossilRecord` checks them);
 * any size above the 1 MiB limit comes back as the limit plus one, so the
 * sum stays an int32.
 */
export function fossilRecordSize(state: FossilState): number {
  let total = FIXED_BYTES + 8 * state.moduli.length + 4;
  for (let k = 0; k < state.shells.length; k++) {
    total = total + SHELL_HEAD_BYTES + FACET_BYTES * state.shells[k].b.length; // each term < 2^20
    if (total > FOSSIL_MAX_BYTES) return FOSSIL_MAX_BYTES + 1;
  }
  return total;
}

/**
 * Saves the fossil record of `state` (every facet of every shell given).
 *
 * - Throws a RangeError naming the field if the parts are inconsistent
 *   (lengths, ranges): a programming error, not a run-time condition.
 * - Allocation: the returned blob, `fossilRecordSize(state)` bytes.
 */
export function saveFossilRecord(state: FossilState): Uint8Array {
  checkState(state);
  const total = fossilRecordSize(state);
  if (total > FOSSIL_MAX_BYTES) throw new RangeError(`fossil record: over the ${FOSSIL_MAX_BYTES}-byte limit`);
  const out = new Uint8Array(total);
  const r = state.moduli.length;
  put32(out, 0, FOSSIL_MAGIC);
  put16(out, 4, FOSSIL_VERSION);
  put32(out, 8, total);
  out[12] = state.f;
  out[13] = state.n;
  out[14] = r;
  put32(out, 16, state.level);
  put32(out, 20, state.levels);
  put32(out, 24, state.shells.length);
  let at = FIXED_BYTES;
  for (let j = 0; j < r; j++, at = at + 4) put32(out, at, state.moduli[j]);
  for (let j = 0; j < r; j++, at = at + 4) put32(out, at, state.alpha[j]);
  for (let k = 0; k < state.shells.length; k++) {
    const sh = state.shells[k];
    const m = sh.b.length;
    put32(out, at, sh.family);
    put16(out, at + 4, sh.level);
    put16(out, at + 6, m);
    at = at + SHELL_HEAD_BYTES;
    for (let i = 0; i < m; i++, at = at + FACET_BYTES) {
      put32(out, at, facetRowHash(sh.A, state.n, i));
      put32(out, at + 4, sh.b[i]);
      out[at + 8] = sh.fossil[i] !== 0 ? 1 : 0;
    }
  }
  put32(out, at, crc32Bytes(out, 0, at));
  return out;
}

/** A FossilResult. */
function result(status: number, offset: number, restored = 0, dropped = 0, indexRestored = 0, levelRestored = 0): FossilResult {
  return { status: status as FossilStatus, offset, restored, dropped, indexRestored, levelRestored };
}

/**
 * Checks the structure of the shells part of a record (from `rd.pos` to the
 * CRC): every shell head, every facet's flag and padding. Returns false with
 * `rd.error` set on the first problem.
 */
function checkShells(rd: Reader, count: number): boolean {
  for (let k = 0; k < count; k++) {
    readI32(rd, FossilStatus.BAD_COUNT); // family
    readU16(rd, FossilStatus.BAD_COUNT); // level
    const mAt = rd.pos;
    const m = readU16(rd, FossilStatus.BAD_COUNT);
    if (rd.error !== 0) return false;
    // m <= 65535: 12 * m < 2^20.
    if (m < 1 || !readerHas(rd, FACET_BYTES * m)) {
      readerFail(rd, FossilStatus.BAD_COUNT, mAt);
      return false;
    }
    for (let i = 0; i < m; i++) {
      rd.pos = rd.pos + 8;
      const flagAt = rd.pos;
      const flag = readU8(rd, FossilStatus.BAD_COUNT);
      const pad = readU8(rd, FossilStatus.BAD_COUNT) | readU8(rd, FossilStatus.BAD_COUNT) | readU8(rd, FossilStatus.BAD_COUNT);
      if (flag > 1 || pad !== 0) {
        readerFail(rd, FossilStatus.BAD_VALUE, flagAt);
        return false;
      }
    }
  }
  if (rd.pos !== rd.end) {
    readerFail(rd, FossilStatus.BAD_COUNT, rd.pos);
    return false;
  }
  return true;
}

/** The first shell of `state` with this family index and level, or -1. */
function findShell(state: FossilState, family: number, level: number): number {
  for (let k = 0; k < state.shells.length; k++) {
    if (state.shells[k].family === family && state.shells[k].level === level) return k;
  }
  return -1;
}

/**
 * Restores a fossil record into `state`: for every saved facet that matches
 * a facet of the target (see the module comment), writes its fossil flag
 * and its offset (clamped to the target's `[bMin, bMax]` when given); writes
 * `alpha` when the moduli are the same (and every residue is in range), and
 * `level` when it is below `state.levels`.
 *
 * - Never throws on any blob; validates all of it (size, CRC, counts,
 *   values, Q format and n) before writing anything: a result other than OK
 *   leaves `state` untouched.
 * - Allocation: the result and, per matched shell, two small scratch arrays.
 */
export function restoreFossilRecord(blob: Uint8Array, state: FossilState): FossilResult {
  const len = blob.length;
  if (len < FIXED_BYTES + 8) return result(FossilStatus.TOO_SHORT, len);
  if (peekI32(blob, 0) !== FOSSIL_MAGIC) return result(FossilStatus.BAD_MAGIC, 0);
  if (peekU16(blob, 4) !== FOSSIL_VERSION) return result(FossilStatus.BAD_VERSION, 4);
  if (peekU16(blob, 6) !== 0) return result(FossilStatus.BAD_SIZE, 6);
  const total = peekI32(blob, 8);
  if (total < FIXED_BYTES + 8 || total > FOSSIL_MAX_BYTES) return result(FossilStatus.BAD_SIZE, 8);
  if (len < total) return result(FossilStatus.TRUNCATED, len);
  if (len > total) return result(FossilStatus.TRAILING_BYTES, total);
  const crcAt = total - 4;
  if (crc32Bytes(blob, 0, crcAt) !== peekI32(blob, crcAt)) return result(FossilStatus.BAD_CRC, crcAt);
  if (blob[15] !== 0) return result(FossilStatus.BAD_SIZE, 15);

  const f = blob[12];
  const n = blob[13];
  const r = blob[14];
  const rd = createReader(blob, 16, crcAt);
  const level = readI32(rd, FossilStatus.BAD_COUNT);
  const levels = readI32(rd, FossilStatus.BAD_COUNT);
  const shellCount = readCount(rd, 0, 65535, FossilStatus.BAD_COUNT);
  if (rd.error === 0 && (r < 1 || !readerHas(rd, 8 * r))) readerFail(rd, FossilStatus.BAD_COUNT, 14);
  if (rd.error === 0 && (levels < 1 || level < 0 || level >= levels)) readerFail(rd, FossilStatus.BAD_VALUE, 16);
  const modAt = rd.pos;
  rd.pos = rd.error === 0 ? rd.pos + 8 * r : rd.pos;
  const shellsAt = rd.pos;
  if (rd.error !== 0 || !checkShells(rd, shellCount)) return result(rd.error, rd.errorAt);
  if (f !== state.f || n !== state.n) return result(FossilStatus.FORMAT_MISMATCH, 12);

  // The index: restored only into the same moduli, and only a valid residue vector.
  let sameModuli = r === state.moduli.length && state.alpha.length === r;
  for (let j = 0; j < r && sameModuli; j++) {
    const a = peekI32(blob, modAt + 4 * (r + j));
    if (peekI32(blob, modAt + 4 * j) !== state.moduli[j] || a < 0 || a >= state.moduli[j]) sameModuli = false;
  }
  if (sameModuli) for (let j = 0; j < r; j++) state.alpha[j] = peekI32(blob, modAt + 4 * (r + j));
  const levelOk = level < state.levels;
  if (levelOk) state.level = level;

  let restored = 0;
  let dropped = 0;
  let at = shellsAt;
  for (let k = 0; k < shellCount; k++) {
    const family = peekI32(blob, at);
    const lv = peekU16(blob, at + 4);
    const m = peekU16(blob, at + 6);
    at = at + SHELL_HEAD_BYTES;
    const t = findShell(state, family, lv);
    if (t < 0) {
      dropped = dropped + m;
      at = at + FACET_BYTES * m;
      continue;
    }
    const counts = restoreShell(blob, at, m, state.shells[t], state.n);
    restored = restored + counts;
    dropped = dropped + (m - counts);
    at = at + FACET_BYTES * m;
  }
  return result(FossilStatus.OK, 0, restored, dropped, sameModuli ? 1 : 0, levelOk ? 1 : 0);
}

/**
 * Restores the m saved facets at `blob[at...]` into shell `sh`; returns how
 * many matched. First pass: same id and same row hash. Second pass: a saved
 * facet still unmatched goes to the one unclaimed target facet whose row has
 * its hash, if exactly one target row has it.
 */
function restoreShell(blob: Uint8Array, at: number, m: number, sh: FossilShell, n: number): number {
  const mt = sh.b.length;
  if (sh.fossil.length !== mt || sh.A.length !== mt * n) return 0;
  const hash = new Int32Array(mt);
  for (let i = 0; i < mt; i++) hash[i] = facetRowHash(sh.A, n, i);
  const claimed = new Uint8Array(mt);
  const done = new Uint8Array(m);
  let count = 0;
  for (let i = 0; i < m && i < mt; i++) {
    if (peekI32(blob, at + FACET_BYTES * i) === hash[i]) {
      put(blob, at + FACET_BYTES * i, sh, i);
      claimed[i] = 1;
      done[i] = 1;
      count = count + 1;
    }
  }
  for (let i = 0; i < m; i++) {
    if (done[i] !== 0) continue;
    const h = peekI32(blob, at + FACET_BYTES * i);
    let found = -1;
    let many = false;
    for (let t = 0; t < mt; t++) {
      if (hash[t] !== h) continue;
      if (found >= 0) many = true;
      found = t;
    }
    if (found >= 0 && !many && claimed[found] === 0) {
      put(blob, at + FACET_BYTES * i, sh, found);
      claimed[found] = 1;
      count = count + 1;
    }
  }
  return count;
}

/** Writes one saved facet (record at `rec`) into facet `t` of `sh`. */
function put(blob: Uint8Array, rec: number, sh: FossilShell, t: number): void {
  let b = peekI32(blob, rec + 4);
  if (sh.bMin !== undefined && sh.bMax !== undefined) {
    if (b < sh.bMin[t]) b = sh.bMin[t];
    if (b > sh.bMax[t]) b = sh.bMax[t];
  }
  sh.b[t] = b;
  sh.fossil[t] = blob[rec + 8];
}
