/**
 * The model image loader (SPEC 12; format in docs/image-format.md): bytes in,
 * the engine's `ModelSpec` out, or an error code with the byte offset where
 * the image went wrong. Runs on the board, once, when a model arrives.
 *
 * Order of the checks:
 * 1. the header: magic, version, header size, total size against the bytes
 *    present (no byte after the image, none missing);
 * 2. the CRC-32 of every byte before the trailing CRC;
 * 3. the header's dimensions and presence flags, against the engine's limits;
 * 4. the eight sections, in order, through a bounds-checked reader
 *    (src/model/reader.ts): each tag, each length against the size its
 *    contents need (computed from the header and the counts read before it)
 *    and against the bytes left; every count before anything is sized from
 *    it; reserved bytes, padding and the fields of absent options must be 0,
 *    so an accepted image is the one canonical encoding of its model;
 * 5. the model: the CRT index (src/index/crt.ts) and the engine's shape
 *    checks (src/engine/validate.ts), which the loader reuses, not repeats.
 *
 * What is not checked here: operator parameters, CAQ settings and windows
 * are validated by their own factories when `createEngine` builds the
 * engine from the returned model (it may throw, naming the field).
 *
 * Never throws: every failure is a `LoadFailure`. Nothing is allocated from a
 * count before the bytes it describes are known to be present, so a forged
 * count cannot make the loader allocate more than the image's own size.
 * Integer-pure (docs/integer-purity.md); allocation at load time only.
 */
import type { FamilySpec, GateSpec, LevelSpec, ModelSpec, OperatorSpec, PolytopeSpec } from '../engine/model.js';
import { checkModel, MODEL_M_MAX, MODEL_N_MAX, MODEL_ORDER_MAX } from '../engine/validate.js';
import type { WindowSpec } from '../geometry/window.js';
import { CAQ_LEVELS_MAX } from '../caq/state.js';
import { F_DEFAULT, F_MAX, F_MIN } from '../fixed/q.js';
import { createCrtIndex, CrtLimit } from '../index/crt.js';
import { crc32Bytes } from '../wire/crc32.js';
import {
  IMAGE_CAQ_FIELDS,
  ImageHeader,
  IMAGE_CRC_BYTES,
  IMAGE_HEADER_BYTES,
  IMAGE_MAGIC,
  IMAGE_MAX_BYTES,
  IMAGE_VERSION,
  ImageError,
  ImageLimit,
  IMAGE_LEVEL_FLAGS_ALL,
  ImageLevelFlag,
  ImageMetricCode,
  IMAGE_MODEL_FLAGS_ALL,
  ImageModelFlag,
  ImageParamType,
  IMAGE_POLYTOPE_FLAGS_ALL,
  ImagePolytopeFlag,
  ImageSection,
} from './format.js';
import { createReader, peekI32, peekU16, readCount, readerFail, readerHas, readI32, readU8, type Reader } from './reader.js';

/** A loaded image. */
export interface LoadOk {
  readonly error: typeof ImageError.OK;
  readonly offset: 0;
  /** The model, equal to the one the compiler wrote. */
  readonly model: ModelSpec;
  /** The header's source hash (CRC-32 of the model's JSON text, as an int32). */
  readonly sourceHash: number;
  readonly detail: '';
}

/** A refused image. */
export interface LoadFailure {
  /** Why (an ImageError other than OK); IMAGE_ERROR_MESSAGES[error] says it in words. */
  readonly error: Exclude<ImageError, typeof ImageError.OK>;
  /** Byte offset of the offending field (for TOO_SHORT and TRUNCATED: the length present). */
  readonly offset: number;
  readonly model: null;
  readonly sourceHash: 0;
  /** For BAD_INDEX and INVALID_MODEL, the check's own message; '' otherwise. */
  readonly detail: string;
}

export type LoadResult = LoadOk | LoadFailure;

/** A LoadFailure for `error` at byte `offset`. */
function failure(error: number, offset: number, detail = ''): LoadFailure {
  return { error: error as LoadFailure['error'], offset, model: null, sourceHash: 0, detail };
}

/**
 * Loads a model image.
 *
 * - Domain: any bytes (any length, any content).
 * - Returns `{ error: ImageError.OK, model, sourceHash }` for a valid image,
 *   otherwise `{ error, offset, detail }`; never throws (an unexpected
 *   exception, which would be a bug, is reported as ImageError.INTERNAL).
 * - Aliasing: reads `bytes` only; the model shares nothing with it.
 * - Allocation: the model's arrays (load time only), bounded by the image size.
 */
export function loadImage(bytes: Uint8Array): LoadResult {
  try {
    return parseImage(bytes);
  } catch (e) {
    return failure(ImageError.INTERNAL, 0, e instanceof Error ? e.message : 'exception');
  }
}

/** Checks header, size and CRC, then parses the sections. */
function parseImage(bytes: Uint8Array): LoadResult {
  const len = bytes.length;
  if (len < IMAGE_HEADER_BYTES + IMAGE_CRC_BYTES) return failure(ImageError.TOO_SHORT, len);
  if (peekI32(bytes, ImageHeader.MAGIC) !== IMAGE_MAGIC) return failure(ImageError.BAD_MAGIC, ImageHeader.MAGIC);
  if (peekU16(bytes, ImageHeader.VERSION) !== IMAGE_VERSION) return failure(ImageError.BAD_VERSION, ImageHeader.VERSION);
  if (peekU16(bytes, ImageHeader.HEADER_BYTES) !== IMAGE_HEADER_BYTES) return failure(ImageError.BAD_HEADER, ImageHeader.HEADER_BYTES);
  const total = peekI32(bytes, ImageHeader.TOTAL_BYTES);
  // A u32 of 2^31 or more reads negative: refused with the rest.
  if (total < IMAGE_HEADER_BYTES + IMAGE_CRC_BYTES || total > IMAGE_MAX_BYTES || (total & 3) !== 0) {
    return failure(ImageError.BAD_SIZE, ImageHeader.TOTAL_BYTES);
  }
  if (len < total) return failure(ImageError.TRUNCATED, len);
  if (len > total) return failure(ImageError.TRAILING_BYTES, total);
  const crcAt = total - IMAGE_CRC_BYTES;
  if (crc32Bytes(bytes, 0, crcAt) !== peekI32(bytes, crcAt)) return failure(ImageError.BAD_CRC, crcAt);

  // ImageHeader fields.
  if (peekU16(bytes, ImageHeader.RESERVED0) !== 0) return failure(ImageError.BAD_HEADER, ImageHeader.RESERVED0);
  if (peekI32(bytes, ImageHeader.RESERVED1) !== 0) return failure(ImageError.BAD_HEADER, ImageHeader.RESERVED1);
  const f = bytes[ImageHeader.F];
  const n = bytes[ImageHeader.N];
  const r = bytes[ImageHeader.MODULI];
  const L1 = bytes[ImageHeader.LEVELS];
  const F = peekU16(bytes, ImageHeader.FAMILIES);
  const O = peekU16(bytes, ImageHeader.OPERATORS);
  const flags = peekI32(bytes, ImageHeader.FLAGS);
  if (f < F_MIN || f > F_MAX) return failure(ImageError.BAD_DIMENSION, ImageHeader.F);
  if (n < 1 || n > MODEL_N_MAX) return failure(ImageError.BAD_DIMENSION, ImageHeader.N);
  if (r < CrtLimit.MIN_MODULI || r > CrtLimit.MAX_MODULI) return failure(ImageError.BAD_DIMENSION, ImageHeader.MODULI);
  if (L1 < 1 || L1 > CAQ_LEVELS_MAX) return failure(ImageError.BAD_DIMENSION, ImageHeader.LEVELS);
  if (F < 1 || F > ImageLimit.FAMILIES) return failure(ImageError.BAD_DIMENSION, ImageHeader.FAMILIES);
  if (O > ImageLimit.OPERATORS) return failure(ImageError.BAD_DIMENSION, ImageHeader.OPERATORS);
  if ((flags & ~IMAGE_MODEL_FLAGS_ALL) !== 0) return failure(ImageError.BAD_FLAGS, ImageHeader.FLAGS);
  if ((flags & ImageModelFlag.F) === 0 && f !== F_DEFAULT) return failure(ImageError.BAD_FLAGS, ImageHeader.F);

  const rd = createReader(bytes, IMAGE_HEADER_BYTES, crcAt);
  const model = parseSections(rd, flags, f, n, r, L1, F, O);
  if (model === null || rd.error !== 0) return failure(rd.error !== 0 ? rd.error : ImageError.INTERNAL, rd.errorAt);
  if (rd.pos !== crcAt) return failure(ImageError.BAD_SECTION_SIZE, rd.pos);

  // The CRT index: moduli coprime, product below 2^31, family indices in range and distinct.
  const table: { index: number; family: number }[] = [];
  for (let k = 0; k < F; k++) table.push({ index: model.families[k].index, family: k });
  try {
    createCrtIndex(model.moduli, table);
  } catch (e) {
    return failure(ImageError.BAD_INDEX, IMAGE_HEADER_BYTES + 8, e instanceof Error ? e.message : '');
  }
  // The engine's own shape checks (paths and rules as the compiler reports them).
  try {
    checkModel(model);
  } catch (e) {
    return failure(ImageError.INVALID_MODEL, 0, e instanceof Error ? e.message : '');
  }
  return { error: ImageError.OK, offset: 0, model, sourceHash: peekI32(bytes, ImageHeader.SOURCE_HASH), detail: '' };
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

/**
 * Opens the section `tag` at the reader's position: checks the tag, and the
 * length against the bytes left and, when `expected >= 0`, against the size
 * its contents need. Narrows the reader to the section and returns the
 * enclosing end to restore with `closeSection`, or -1 after an error.
 */
function openSection(rd: Reader, tag: number, expected: number): number {
  const at = rd.pos;
  if (readI32(rd, ImageError.BAD_SECTION) !== tag) {
    readerFail(rd, ImageError.BAD_SECTION, at);
    return -1;
  }
  const lenAt = rd.pos;
  const length = readI32(rd, ImageError.BAD_SECTION_SIZE);
  if (rd.error !== 0) return -1;
  if (length < 0 || (length & 3) !== 0 || length > rd.end - rd.pos || (expected >= 0 && length !== expected)) {
    readerFail(rd, ImageError.BAD_SECTION_SIZE, lenAt);
    return -1;
  }
  const outer = rd.end;
  rd.end = rd.pos + length;
  return outer;
}

/** Checks that the section was read to its end, then widens the reader back to `outer`. */
function closeSection(rd: Reader, outer: number): boolean {
  if (rd.error !== 0) return false;
  if (rd.pos !== rd.end) {
    readerFail(rd, ImageError.BAD_SECTION_SIZE, rd.pos);
    return false;
  }
  rd.end = outer;
  return true;
}

/** `count` int32 words as a plain array; fails with `code` if they are not all there. */
function readWords(rd: Reader, count: number, code: number): number[] {
  const out: number[] = [];
  // count <= 2^24 at every call, so 4 * count is an int32.
  if (!readerHas(rd, 4 * count)) {
    readerFail(rd, code, rd.pos);
    return out;
  }
  for (let i = 0; i < count; i++) out.push(readI32(rd, code));
  return out;
}

/** Parses the eight sections into a model; null (with rd.error set) on the first error. */
function parseSections(rd: Reader, flags: number, f: number, n: number, r: number, L1: number, F: number, O: number): ModelSpec | null {
  // MODU: r moduli.
  let outer = openSection(rd, ImageSection.MODULI, 4 * r);
  if (outer < 0) return null;
  const moduli = readWords(rd, r, ImageError.BAD_SECTION_SIZE);
  if (!closeSection(rd, outer)) return null;

  // SETS: seven settings; an absent optional one is 0.
  outer = openSection(rd, ImageSection.SETTINGS, 28);
  if (outer < 0) return null;
  const kMax = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const tPromote = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const tComm = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const history = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const searchCap = readOptional(rd, flags, ImageModelFlag.SEARCH_CAP);
  const projectIters = readOptional(rd, flags, ImageModelFlag.PROJECT_ITERS);
  const pressureLeak = readOptional(rd, flags, ImageModelFlag.PRESSURE_LEAK);
  if (!closeSection(rd, outer)) return null;

  // CAQ: the scalar settings, then stableVar per level.
  outer = openSection(rd, ImageSection.CAQ, 4 * (IMAGE_CAQ_FIELDS.length + L1));
  if (outer < 0) return null;
  const caq: Record<string, unknown> = {};
  for (let i = 0; i < IMAGE_CAQ_FIELDS.length; i++) caq[IMAGE_CAQ_FIELDS[i]] = readI32(rd, ImageError.BAD_SECTION_SIZE);
  caq.stableVar = readWords(rd, L1, ImageError.BAD_SECTION_SIZE);
  if (!closeSection(rd, outer)) return null;

  // GATE: omega, theta, epsPas, chi, or nothing.
  const hasGates = (flags & ImageModelFlag.GATES) !== 0;
  outer = openSection(rd, ImageSection.GATES, hasGates ? 4 * (2 * n + 2) : 0);
  if (outer < 0) return null;
  let gates: GateSpec | null = null;
  if (hasGates) {
    const omega = readWords(rd, n, ImageError.BAD_SECTION_SIZE);
    const theta = readI32(rd, ImageError.BAD_SECTION_SIZE);
    const epsPas = readI32(rd, ImageError.BAD_SECTION_SIZE);
    const chi = readWords(rd, n, ImageError.BAD_SECTION_SIZE);
    gates = { omega, theta, epsPas, chi };
  }
  if (!closeSection(rd, outer)) return null;

  // LEVL: per level its settings and windows (length known only as it is read).
  outer = openSection(rd, ImageSection.LEVELS, -1);
  if (outer < 0) return null;
  const levels: LevelSpec[] = [];
  for (let l = 0; l < L1 && rd.error === 0; l++) levels.push(readLevel(rd, n));
  if (!closeSection(rd, outer)) return null;

  // FAMI: per family its index, per level m and polytope flags.
  outer = openSection(rd, ImageSection.FAMILIES, 4 * F * (1 + 2 * L1));
  if (outer < 0) return null;
  const famIndex: number[] = [];
  const mOf: number[] = []; // F x L1
  const pflagsOf: number[] = []; // F x L1
  let facets = 0;
  let mMax = 0;
  let polyBytes = 0; // bytes the POLY section needs, capped just above IMAGE_MAX_BYTES
  for (let k = 0; k < F && rd.error === 0; k++) {
    famIndex.push(readI32(rd, ImageError.BAD_SECTION_SIZE));
    for (let l = 0; l < L1 && rd.error === 0; l++) {
      const m = readCount(rd, 1, MODEL_M_MAX, ImageError.BAD_COUNT);
      const pfAt = rd.pos;
      const pf = readI32(rd, ImageError.BAD_SECTION_SIZE);
      if (rd.error !== 0) break;
      if ((pf & ~IMAGE_POLYTOPE_FLAGS_ALL) !== 0) {
        readerFail(rd, ImageError.BAD_FLAGS, pfAt);
        break;
      }
      mOf.push(m);
      pflagsOf.push(pf);
      facets = facets + m; // <= 4096 * 32 * 256 = 2^25
      if (m > mMax) mMax = m;
      // Words of this polytope: m x n + m, + m per clamp, + m + m x r with shifts (< 2^15 each).
      let words = m * n + m;
      if ((pf & ImagePolytopeFlag.B_MIN) !== 0) words = words + m;
      if ((pf & ImagePolytopeFlag.B_MAX) !== 0) words = words + m;
      if ((pf & ImagePolytopeFlag.SHIFTS) !== 0) words = words + m + m * r;
      if (polyBytes <= IMAGE_MAX_BYTES) polyBytes = polyBytes + 4 * words;
    }
  }
  if (!closeSection(rd, outer)) return null;
  if (facets !== peekI32(rd.bytes, ImageHeader.FACETS)) return failAt(rd, ImageError.BAD_COUNT, ImageHeader.FACETS);
  if (mMax !== peekU16(rd.bytes, ImageHeader.M_MAX)) return failAt(rd, ImageError.BAD_COUNT, ImageHeader.M_MAX);

  // POLY: per family and level A, b, bMin, bMax, shifts.
  outer = openSection(rd, ImageSection.POLYTOPES, polyBytes > IMAGE_MAX_BYTES ? IMAGE_MAX_BYTES + 4 : polyBytes);
  if (outer < 0) return null;
  const families: FamilySpec[] = [];
  for (let k = 0; k < F && rd.error === 0; k++) {
    const fl: PolytopeSpec[] = [];
    for (let l = 0; l < L1 && rd.error === 0; l++) fl.push(readPolytope(rd, mOf[k * L1 + l], n, pflagsOf[k * L1 + l], moduli));
    families.push({ index: famIndex[k], levels: fl });
  }
  if (!closeSection(rd, outer)) return null;

  // OPER: per operator a block of named int32 parameters.
  outer = openSection(rd, ImageSection.OPERATORS, -1);
  if (outer < 0) return null;
  const operators: OperatorSpec[] = [];
  for (let k = 0; k < O && rd.error === 0; k++) operators.push(readOperator(rd));
  if (!closeSection(rd, outer)) return null;

  const model: ModelSpec = { n, moduli, families, levels, operators, caq: caq as unknown as ModelSpec['caq'], kMax, tPromote, tComm, history };
  if ((flags & ImageModelFlag.F) !== 0) model.f = f;
  if (gates !== null) model.gates = gates;
  if ((flags & ImageModelFlag.SEARCH_CAP) !== 0) model.searchCap = searchCap;
  if ((flags & ImageModelFlag.PROJECT_ITERS) !== 0) model.projectIters = projectIters;
  if ((flags & ImageModelFlag.PRESSURE_LEAK) !== 0) model.pressureLeak = pressureLeak;
  return model;
}

/** Records `code` at `at` and returns null. */
function failAt(rd: Reader, code: number, at: number): null {
  readerFail(rd, code, at);
  return null;
}

/** A SETS word of an optional setting: its value if `bit` is set in `flags`, else it must be 0. */
function readOptional(rd: Reader, flags: number, bit: number): number {
  const at = rd.pos;
  const v = readI32(rd, ImageError.BAD_SECTION_SIZE);
  if ((flags & bit) === 0 && v !== 0) readerFail(rd, ImageError.BAD_FLAGS, at);
  return v;
}

/** One level of the LEVL section: beta, tol, tau, flags, window count, order (flag ORDER only), windows. */
function readLevel(rd: Reader, n: number): LevelSpec {
  const beta = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const tol = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const tau = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const lfAt = rd.pos;
  const lf = readI32(rd, ImageError.BAD_SECTION_SIZE);
  const countAt = rd.pos;
  const count = readCount(rd, 0, ImageLimit.WINDOWS, ImageError.BAD_COUNT);
  const level: LevelSpec = { beta, tol, tau };
  if (rd.error !== 0) return level;
  if ((lf & ~IMAGE_LEVEL_FLAGS_ALL) !== 0) {
    readerFail(rd, ImageError.BAD_FLAGS, lfAt);
    return level;
  }
  if ((lf & ImageLevelFlag.ORDER) !== 0) {
    const orderAt = rd.pos;
    const order = readI32(rd, ImageError.BAD_SECTION_SIZE);
    if (rd.error !== 0) return level;
    if (order < 0 || order > MODEL_ORDER_MAX) {
      readerFail(rd, ImageError.BAD_VALUE, orderAt);
      return level;
    }
    level.order = order;
  }
  if ((lf & ImageLevelFlag.WINDOWS) === 0) {
    if (count !== 0) readerFail(rd, ImageError.BAD_FLAGS, countAt);
    return level;
  }
  const windows: WindowSpec[] = [];
  for (let w = 0; w < count && rd.error === 0; w++) {
    const metricAt = rd.pos;
    const metric = readI32(rd, ImageError.BAD_SECTION_SIZE);
    if (rd.error !== 0) break;
    if (metric !== ImageMetricCode.DIAGONAL && metric !== ImageMetricCode.FULL) {
      readerFail(rd, ImageError.BAD_VALUE, metricAt);
      break;
    }
    const eps = readI32(rd, ImageError.BAD_SECTION_SIZE);
    const mu = readWords(rd, n, ImageError.BAD_SECTION_SIZE);
    const S = readWords(rd, metric === ImageMetricCode.FULL ? n * n : n, ImageError.BAD_SECTION_SIZE);
    windows.push({ metric: metric === ImageMetricCode.FULL ? 'full' : 'diagonal', mu, S, eps });
  }
  level.windows = windows;
  return level;
}

/** One polytope of the POLY section: A (m x n), b, optional bMin, bMax and shifts. */
function readPolytope(rd: Reader, m: number, n: number, pf: number, moduli: number[]): PolytopeSpec {
  const A: number[][] = [];
  const p: PolytopeSpec = { A, b: [] };
  // The POLY length was checked against the sum of these sizes: every read below is inside.
  for (let i = 0; i < m && rd.error === 0; i++) A.push(readWords(rd, n, ImageError.BAD_SECTION_SIZE));
  p.b = readWords(rd, m, ImageError.BAD_SECTION_SIZE);
  if ((pf & ImagePolytopeFlag.B_MIN) !== 0) p.bMin = readWords(rd, m, ImageError.BAD_SECTION_SIZE);
  if ((pf & ImagePolytopeFlag.B_MAX) !== 0) p.bMax = readWords(rd, m, ImageError.BAD_SECTION_SIZE);
  if ((pf & ImagePolytopeFlag.SHIFTS) !== 0) {
    const r = moduli.length;
    const flagAt = rd.pos;
    const has = readWords(rd, m, ImageError.BAD_SECTION_SIZE);
    const shifts: (number[] | null)[] = [];
    for (let i = 0; i < m && rd.error === 0; i++) {
      const h = has[i];
      if (h !== 0 && h !== 1) {
        readerFail(rd, ImageError.BAD_VALUE, flagAt + 4 * i);
        break;
      }
      const at = rd.pos;
      const s = readWords(rd, r, ImageError.BAD_SECTION_SIZE);
      for (let j = 0; j < r && rd.error === 0; j++) {
        // A residue shift is in 0..p_j - 1; a facet without a shift stores zeros.
        if (s[j] < 0 || s[j] >= moduli[j] || (h === 0 && s[j] !== 0)) readerFail(rd, ImageError.BAD_VALUE, at + 4 * j);
      }
      shifts.push(h === 1 ? s : null);
    }
    p.shifts = shifts;
  }
  return p;
}

/** The characters of a name: [A-Za-z_] first, then [A-Za-z0-9_-]. */
function nameChar(c: number, first: boolean): boolean {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  return !first && ((c >= 48 && c <= 57) || c === 45);
}

/**
 * A name: u8 length (1..ImageLimit.NAME), the ASCII bytes, zero padding to a
 * multiple of 4 bytes (length byte included). '' after an error.
 */
function readName(rd: Reader): string {
  const at = rd.pos;
  const len = readU8(rd, ImageError.BAD_SECTION_SIZE);
  if (rd.error !== 0) return '';
  if (len < 1 || len > ImageLimit.NAME) {
    readerFail(rd, ImageError.BAD_NAME, at);
    return '';
  }
  const padded = ((len + 4) & ~3) - 1; // bytes after the length byte
  if (!readerHas(rd, padded)) {
    readerFail(rd, ImageError.BAD_SECTION_SIZE, rd.pos);
    return '';
  }
  let name = '';
  for (let i = 0; i < padded; i++) {
    const cAt = rd.pos;
    const c = readU8(rd, ImageError.BAD_SECTION_SIZE);
    if (i < len) {
      if (!nameChar(c, i === 0)) {
        readerFail(rd, ImageError.BAD_NAME, cAt);
        return '';
      }
      name = name + String.fromCharCode(c);
    } else if (c !== 0) {
      readerFail(rd, ImageError.BAD_VALUE, cAt);
      return '';
    }
  }
  return name;
}

/** One operator block: size, kind, parameter count, parameters. */
function readOperator(rd: Reader): OperatorSpec {
  const start = rd.pos;
  const size = readCount(rd, 12, rd.end - rd.pos, ImageError.BAD_COUNT);
  const kind = readName(rd);
  const op: OperatorSpec = { kind };
  const count = readCount(rd, 0, ImageLimit.PARAMS, ImageError.BAD_COUNT);
  for (let k = 0; k < count && rd.error === 0; k++) {
    const nameAt = rd.pos;
    const name = readName(rd);
    if (rd.error !== 0) break;
    // 'kind' is the operator's name, and a '__' name could reach the prototype.
    if (name === 'kind' || (name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95) || Object.prototype.hasOwnProperty.call(op, name)) {
      readerFail(rd, ImageError.BAD_NAME, nameAt);
      break;
    }
    op[name] = readParam(rd);
  }
  if (rd.error === 0 && rd.pos - start !== size) readerFail(rd, ImageError.BAD_COUNT, start);
  return op;
}

/** One parameter value: type, dimensions, int32 data. */
function readParam(rd: Reader): number | number[] | number[][] {
  const typeAt = rd.pos;
  const type = readI32(rd, ImageError.BAD_SECTION_SIZE);
  if (rd.error !== 0) return 0;
  if (type === ImageParamType.SCALAR) return readI32(rd, ImageError.BAD_SECTION_SIZE);
  if (type === ImageParamType.VECTOR) {
    const len = readCount(rd, 0, ImageLimit.PARAM_DIM, ImageError.BAD_COUNT);
    return readWords(rd, len, ImageError.BAD_COUNT);
  }
  if (type === ImageParamType.MATRIX) {
    const rows = readCount(rd, 1, ImageLimit.PARAM_DIM, ImageError.BAD_COUNT);
    const cols = readCount(rd, 1, ImageLimit.PARAM_DIM, ImageError.BAD_COUNT);
    const M: number[][] = [];
    // rows, cols <= 4096: rows * cols <= 2^24 and 4 * rows * cols <= 2^26.
    if (rd.error !== 0) return M;
    if (!readerHas(rd, 4 * rows * cols)) {
      readerFail(rd, ImageError.BAD_COUNT, rd.pos - 8);
      return M;
    }
    for (let i = 0; i < rows; i++) M.push(readWords(rd, cols, ImageError.BAD_COUNT));
    return M;
  }
  readerFail(rd, ImageError.BAD_VALUE, typeAt);
  return 0;
}
