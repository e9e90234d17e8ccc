/**
 * Writes a `ModelSpec` as a model image (format v1, docs/image-format.md;
 * constants shared with the loader in src/model/format.ts).
 *
 * The writer emits the one canonical encoding of a model: reserved bytes,
 * padding and the words of absent options are 0, so `loadImage` followed by
 * `writeImage` gives back the same bytes (the fuzz tests rely on it). It
 * refuses (throws an Error naming the field) anything the format cannot
 * hold exactly, including fields it does not know, so that a field added to
 * ModelSpec is never dropped silently.
 */
import type { ModelSpec, PolytopeSpec } from '../../src/engine/model.js';
import { checkModel } from '../../src/engine/validate.js';
import { INT32_MAX, INT32_MIN } from '../../src/fixed/q.js';
import { crc32Bytes } from '../../src/wire/crc32.js';
import {
  IMAGE_CAQ_FIELDS,
  IMAGE_CRC_BYTES,
  IMAGE_HEADER_BYTES,
  IMAGE_MAGIC,
  IMAGE_MAX_BYTES,
  IMAGE_VERSION,
  ImageHeader,
  ImageLevelFlag,
  ImageLimit,
  ImageMetricCode,
  ImageModelFlag,
  ImageParamType,
  ImagePolytopeFlag,
  ImageSection,
} from '../../src/model/format.js';
import { NAME_PATTERN } from './check.js';

export interface WriteImageOptions {
  /** CRC-32 of the model's source text, stored in the header (default 0). */
  sourceHash?: number;
}

const MODEL_KEYS = ['n', 'f', 'moduli', 'families', 'levels', 'operators', 'gates', 'caq', 'kMax', 'tPromote', 'tComm', 'history', 'searchCap', 'projectIters', 'pressureLeak'];
const POLYTOPE_KEYS = ['A', 'b', 'shifts', 'bMin', 'bMax'];
const LEVEL_KEYS = ['beta', 'tol', 'tau', 'windows', 'order'];
const WINDOW_KEYS = ['metric', 'mu', 'S', 'eps'];
const GATE_KEYS = ['omega', 'theta', 'epsPas', 'chi'];
const FAMILY_KEYS = ['index', 'levels'];

function fail(path: string, rule: string): never {
  throw new Error(`image writer: ${path}: ${rule}`);
}

function knownKeys(path: string, v: object, known: readonly string[]): void {
  for (const key of Object.keys(v)) {
    if (!known.includes(key) && (v as Record<string, unknown>)[key] !== undefined) fail(`${path}${path ? '.' : ''}${key}`, `field not in image format v${IMAGE_VERSION}`);
  }
}

const isInt32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;

/** Little-endian byte buffer that grows. */
class Bytes {
  private buf = new Uint8Array(1024);
  length = 0;

  private room(k: number): void {
    if (this.length + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + k));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
  }

  u16(v: number): void {
    this.u8(v);
    this.u8(v >> 8);
  }

  i32(v: number): void {
    this.room(4);
    new DataView(this.buf.buffer).setInt32(this.length, v | 0, true);
    this.length += 4;
  }

  /** Overwrites the int32 at `at`. */
  patch(at: number, v: number): void {
    new DataView(this.buf.buffer).setInt32(at, v | 0, true);
  }

  words(path: string, vs: readonly unknown[]): void {
    vs.forEach((v, i) => {
      if (!isInt32(v)) fail(`${path}[${i}]`, `must be an int32, got ${String(v)}`);
      this.i32(v);
    });
  }

  /** u8 length, ASCII bytes, zero padding to a multiple of 4 (length byte included). */
  name(path: string, s: string): void {
    if (!NAME_PATTERN.test(s) || s.startsWith('__')) fail(path, `name ${JSON.stringify(s)} is not 1..63 characters [A-Za-z_][A-Za-z0-9_-]*`);
    this.u8(s.length);
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
    while (this.length % 4 !== 0) this.u8(0);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Writes one section: tag, length, content. */
function section(out: Bytes, tag: number, content: () => void): void {
  out.i32(tag);
  const lenAt = out.length;
  out.i32(0);
  content();
  out.patch(lenAt, out.length - lenAt - 4);
}

/** Polytope presence flags. */
function polytopeFlags(p: PolytopeSpec): number {
  return (p.shifts !== undefined ? ImagePolytopeFlag.SHIFTS : 0) | (p.bMin !== undefined ? ImagePolytopeFlag.B_MIN : 0) | (p.bMax !== undefined ? ImagePolytopeFlag.B_MAX : 0);
}

/**
 * Encodes `model` (which must pass the engine's `checkModel`) as an image.
 * Throws an Error naming the field when the model cannot be written.
 */
export function writeImage(model: ModelSpec, options: WriteImageOptions = {}): Uint8Array {
  checkModel(model);
  knownKeys('', model, MODEL_KEYS);
  const n = model.n;
  const r = model.moduli.length;
  const L1 = model.levels.length;
  const F = model.families.length;
  const O = model.operators.length;
  const f = model.f ?? 16;
  if (F > ImageLimit.FAMILIES) fail('families', `at most ${ImageLimit.FAMILIES} families fit an image, got ${F}`);
  if (O > ImageLimit.OPERATORS) fail('operators', `at most ${ImageLimit.OPERATORS} operators fit an image, got ${O}`);
  const flags =
    (model.f !== undefined ? ImageModelFlag.F : 0) |
    (model.gates !== undefined ? ImageModelFlag.GATES : 0) |
    (model.searchCap !== undefined ? ImageModelFlag.SEARCH_CAP : 0) |
    (model.projectIters !== undefined ? ImageModelFlag.PROJECT_ITERS : 0) |
    (model.pressureLeak !== undefined ? ImageModelFlag.PRESSURE_LEAK : 0);
  let facets = 0;
  let mMax = 0;
  for (const fam of model.families) {
    knownKeys('families[]', fam, FAMILY_KEYS);
    for (const p of fam.levels) {
      facets += p.A.length;
      mMax = Math.max(mMax, p.A.length);
    }
  }

  const out = new Bytes();
  // Header (total size and CRC patched at the end).
  out.i32(IMAGE_MAGIC);
  out.u16(IMAGE_VERSION);
  out.u16(IMAGE_HEADER_BYTES);
  out.i32(0);
  out.u8(f);
  out.u8(n);
  out.u8(r);
  out.u8(L1);
  out.u16(F);
  out.u16(O);
  out.i32(flags);
  out.i32(facets);
  out.u16(mMax);
  out.u16(0);
  out.i32(options.sourceHash ?? 0);
  out.i32(0);
  if (out.length !== IMAGE_HEADER_BYTES) throw new Error('image writer: header size mismatch (a bug)');

  section(out, ImageSection.MODULI, () => out.words('moduli', model.moduli));
  section(out, ImageSection.SETTINGS, () => {
    out.words('', [model.kMax, model.tPromote, model.tComm, model.history, model.searchCap ?? 0, model.projectIters ?? 0, model.pressureLeak ?? 0]);
  });
  section(out, ImageSection.CAQ, () => {
    const caq = model.caq as unknown as Record<string, unknown>;
    knownKeys('caq', caq, [...IMAGE_CAQ_FIELDS, 'stableVar']);
    for (const key of IMAGE_CAQ_FIELDS) {
      if (!isInt32(caq[key])) fail(`caq.${key}`, `must be an int32, got ${String(caq[key])}`);
      out.i32(caq[key] as number);
    }
    const sv = caq.stableVar as ArrayLike<number> | undefined;
    if (sv === undefined || sv.length !== L1) fail('caq.stableVar', `must have ${L1} entries (one per level)`);
    out.words('caq.stableVar', Array.from(sv));
  });
  section(out, ImageSection.GATES, () => {
    const g = model.gates;
    if (g === undefined) return;
    knownKeys('gates', g, GATE_KEYS);
    out.words('gates.omega', g.omega);
    out.words('gates', [g.theta, g.epsPas]);
    out.words('gates.chi', g.chi);
  });
  section(out, ImageSection.LEVELS, () => {
    model.levels.forEach((lv, l) => {
      const p = `levels[${l}]`;
      knownKeys(p, lv, LEVEL_KEYS);
      const ws = lv.windows;
      if (ws !== undefined && ws.length > ImageLimit.WINDOWS) fail(`${p}.windows`, `at most ${ImageLimit.WINDOWS} windows per level, got ${ws.length}`);
      const lf = (ws !== undefined ? ImageLevelFlag.WINDOWS : 0) | (lv.order !== undefined ? ImageLevelFlag.ORDER : 0);
      out.words(p, [lv.beta, lv.tol, lv.tau, lf, ws?.length ?? 0]);
      if (lv.order !== undefined) out.words(`${p}.order`, [lv.order]);
      ws?.forEach((w, k) => {
        const wp = `${p}.windows[${k}]`;
        knownKeys(wp, w, WINDOW_KEYS);
        const full = w.metric === 'full' || w.metric === 1;
        if (!full && w.metric !== 'diagonal' && w.metric !== 0) fail(`${wp}.metric`, `must be 'diagonal' or 'full', got ${String(w.metric)}`);
        if (w.mu.length !== n) fail(`${wp}.mu`, `has ${w.mu.length} entries, n is ${n}`);
        if (w.S.length !== (full ? n * n : n)) fail(`${wp}.S`, `has ${w.S.length} entries, expected ${full ? n * n : n}`);
        out.words(wp, [full ? ImageMetricCode.FULL : ImageMetricCode.DIAGONAL, w.eps]);
        out.words(`${wp}.mu`, Array.from(w.mu));
        out.words(`${wp}.S`, Array.from(w.S));
      });
    });
  });
  section(out, ImageSection.FAMILIES, () => {
    model.families.forEach((fam, k) => {
      out.words(`families[${k}]`, [fam.index]);
      fam.levels.forEach((p, l) => {
        knownKeys(`families[${k}].levels[${l}]`, p, POLYTOPE_KEYS);
        out.words(`families[${k}].levels[${l}]`, [p.A.length, polytopeFlags(p)]);
      });
    });
  });
  section(out, ImageSection.POLYTOPES, () => {
    model.families.forEach((fam, k) =>
      fam.levels.forEach((p, l) => {
        const pp = `families[${k}].levels[${l}]`;
        p.A.forEach((row, i) => out.words(`${pp}.A[${i}]`, row));
        out.words(`${pp}.b`, p.b);
        if (p.bMin !== undefined) out.words(`${pp}.bMin`, p.bMin);
        if (p.bMax !== undefined) out.words(`${pp}.bMax`, p.bMax);
        if (p.shifts !== undefined) {
          const shifts = p.shifts;
          shifts.forEach((s, i) => out.i32(s === null ? 0 : (s.length === r ? 1 : fail(`${pp}.shifts[${i}]`, `has ${s.length} entries, there are ${r} moduli`))));
          shifts.forEach((s, i) => {
            if (s === null) for (let t = 0; t < r; t++) out.i32(0);
            else {
              s.forEach((v, t) => {
                if (!(isInt32(v) && v >= 0 && v < model.moduli[t])) fail(`${pp}.shifts[${i}][${t}]`, `must be in 0..${model.moduli[t] - 1}, got ${v}`);
              });
              out.words(`${pp}.shifts[${i}]`, s);
            }
          });
        }
      }),
    );
  });
  section(out, ImageSection.OPERATORS, () => {
    model.operators.forEach((op, k) => {
      const p = `operators[${k}]`;
      const start = out.length;
      out.i32(0);
      out.name(`${p}.kind`, op.kind);
      const params = Object.entries(op).filter(([key, v]) => key !== 'kind' && v !== undefined);
      if (params.length > ImageLimit.PARAMS) fail(p, `at most ${ImageLimit.PARAMS} parameters fit an image, got ${params.length}`);
      out.i32(params.length);
      for (const [key, value] of params) writeParam(out, `${p}.${key}`, key, value);
      out.patch(start, out.length - start);
    });
  });

  const total = out.length + IMAGE_CRC_BYTES;
  if (total > IMAGE_MAX_BYTES) fail('model', `the image would be ${total} bytes, over the ${IMAGE_MAX_BYTES}-byte limit`);
  out.patch(ImageHeader.TOTAL_BYTES, total);
  out.i32(0);
  const bytes = out.bytes();
  const crcAt = total - IMAGE_CRC_BYTES;
  new DataView(bytes.buffer).setInt32(crcAt, crc32Bytes(bytes, 0, crcAt), true);
  return bytes;
}

/** One operator parameter: name, type, dimensions, data. */
function writeParam(out: Bytes, path: string, name: string, value: unknown): void {
  out.name(path, name);
  if (typeof value === 'number') {
    if (!isInt32(value)) fail(path, `must be an int32, got ${value}`);
    out.i32(ImageParamType.SCALAR);
    out.i32(value);
    return;
  }
  if (!Array.isArray(value) && !(value instanceof Int32Array)) fail(path, 'an image stores int32 scalars, vectors and matrices only');
  const list = Array.from(value as ArrayLike<unknown>);
  if (list.length > 0 && list.every((row) => Array.isArray(row) || row instanceof Int32Array)) {
    const rows = list as ArrayLike<number>[];
    const cols = rows[0].length;
    if (rows.length > ImageLimit.PARAM_DIM || cols < 1 || cols > ImageLimit.PARAM_DIM) fail(path, `a matrix must be 1..${ImageLimit.PARAM_DIM} x 1..${ImageLimit.PARAM_DIM}, got ${rows.length} x ${cols}`);
    rows.forEach((row, i) => {
      if (row.length !== cols) fail(`${path}[${i}]`, `row has ${row.length} entries, row 0 has ${cols}`);
    });
    out.i32(ImageParamType.MATRIX);
    out.i32(rows.length);
    out.i32(cols);
    rows.forEach((row, i) => out.words(`${path}[${i}]`, Array.from(row)));
    return;
  }
  if (list.length > ImageLimit.PARAM_DIM) fail(path, `a vector has at most ${ImageLimit.PARAM_DIM} entries, got ${list.length}`);
  out.i32(ImageParamType.VECTOR);
  out.i32(list.length);
  out.words(path, list);
}
