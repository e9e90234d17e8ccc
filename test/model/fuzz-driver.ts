/**
 * The image fuzzer: one JavaScript source, run as-is in Node against src/
 * and in XS against the bundled core `M`, so both engines see the same
 * mutated images and must give the same verdicts.
 *
 * A request `{ image, seed, count, fixOneIn }` makes `count` mutants of
 * `image` (xorshift32 from `seed`), each one of:
 *   0 flip 1..4 bits            1 set a byte              2 truncate
 *   3 append 1..16 bytes        4 a header or section size/count field set
 *                                 to a special value (0, -1, 2^31 - 1,
 *                                 -2^31, 65535, ...) or nudged by +-1..4
 *   5 an aligned word set to a special or random value
 *   6 two aligned words swapped 7 an aligned word deleted
 *   8 an aligned word inserted
 * and, for all but one in `fixOneIn`, fixes the CRC up afterwards (and for
 * a length change, half the time the header's total size first), so that
 * the parser behind the CRC check is exercised too.
 *
 * The reply is a flat array, five integers per mutant: kind, fixed (0/1),
 * same (1 if the mutant equals the original), error, offset; for an accepted
 * mutant one more, the CRC-32 of JSON.stringify(model). `hook(img, res,
 * kind, fixed, same)`, when given (Node only), sees every mutant.
 */
import * as core from '../../src/index.js';

export const FUZZ_DRIVER_SOURCE = String.raw`(M, hook) => (r) => {
  const base = Uint8Array.from(r.image);
  const N = base.length;
  let s = r.seed | 0;
  if (s === 0) s = 1;
  const next = () => { s ^= s << 13; s ^= s >> 17; s ^= s << 5; return s; };
  const below = (k) => (next() & 0x7fffffff) % k;
  const word = (b, p) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  const put = (b, p, v, bytes) => { for (let i = 0; i < bytes; i++) b[p + i] = (v >> (8 * i)) & 0xff; };
  // [offset, bytes] of every header field and section length of the original.
  const fields = [[8, 4], [12, 1], [13, 1], [14, 1], [15, 1], [16, 2], [18, 2], [20, 4], [24, 4], [28, 2], [30, 2], [32, 4], [36, 4]];
  for (let p = 40; p + 8 <= N - 4; ) {
    fields.push([p + 4, 4]);
    p = p + 8 + word(base, p + 4);
  }
  const specials = [0, 1, 2, 3, 4, 7, 8, -1, -2, -4, 0x7fffffff, -0x80000000, 0x7ffffffc, 0xffff, 0x10000, 0xff, 0x100, 64, 65, 256, 257, 4096, 4097, 0x400000];
  const special = () => specials[below(specials.length)];
  const out = [];
  let accepted = 0;
  for (let c = 0; c < r.count; c++) {
    let img = base.slice();
    const kind = below(9);
    if (kind === 0) {
      const flips = 1 + below(4);
      for (let k = 0; k < flips; k++) { const bit = below(8 * N); img[bit >> 3] ^= 1 << (bit & 7); }
    } else if (kind === 1) {
      img[below(N)] = below(256);
    } else if (kind === 2) {
      img = img.slice(0, below(N));
    } else if (kind === 3) {
      const more = 1 + below(16);
      const big = new Uint8Array(N + more);
      big.set(img);
      for (let k = 0; k < more; k++) big[N + k] = below(256);
      img = big;
    } else if (kind === 4) {
      const fld = fields[below(fields.length)];
      const old = fld[1] === 4 ? word(img, fld[0]) : fld[1] === 2 ? img[fld[0]] | (img[fld[0] + 1] << 8) : img[fld[0]];
      put(img, fld[0], below(2) === 0 ? special() : old + (below(2) === 0 ? 1 : -1) * (1 + below(4)), fld[1]);
    } else if (kind === 5) {
      put(img, 4 * below(N >> 2), below(2) === 0 ? special() : next(), 4);
    } else if (kind === 6) {
      const a = 4 * below(N >> 2);
      const b = 4 * below(N >> 2);
      const t = word(img, a);
      put(img, a, word(img, b), 4);
      put(img, b, t, 4);
    } else if (kind === 7) {
      const a = 4 * below(N >> 2);
      const small = new Uint8Array(N - 4);
      small.set(img.subarray(0, a));
      small.set(img.subarray(a + 4), a);
      img = small;
    } else {
      const a = 4 * below((N >> 2) + 1);
      const big = new Uint8Array(N + 4);
      big.set(img.subarray(0, a));
      put(big, a, below(2) === 0 ? special() : next(), 4);
      big.set(img.subarray(a), a + 4);
      img = big;
    }
    const L = img.length;
    const fixed = below(r.fixOneIn) !== 0 && L >= 44 ? 1 : 0;
    if (fixed) {
      if (L !== N && below(2) === 0) put(img, 8, L, 4);
      put(img, L - 4, M.crc32Bytes(img, 0, L - 4), 4);
    }
    let same = L === N ? 1 : 0;
    for (let i = 0; i < L && same; i++) if (img[i] !== base[i]) same = 0;
    const res = M.loadImage(img);
    out.push(kind, fixed, same, res.error, res.offset);
    if (res.error === 0) {
      accepted++;
      const text = new TextEncoder().encode(JSON.stringify(res.model));
      out.push(M.crc32Bytes(text, 0, text.length));
    }
    if (hook) hook(img, res, kind, fixed, same);
  }
  return { out, accepted };
}`;

export interface FuzzRequest {
  image: number[];
  seed: number;
  count: number;
  fixOneIn: number;
}

export interface FuzzReply {
  out: number[];
  accepted: number;
}

export type FuzzHook = (img: Uint8Array, res: core.LoadResult, kind: number, fixed: number, same: number) => void;

/** The driver in Node, against src/ (with an optional hook per mutant). */
export function nodeFuzz(hook?: FuzzHook): (r: FuzzRequest) => FuzzReply {
  const factory = new Function(`return ${FUZZ_DRIVER_SOURCE};`)() as (m: unknown, h?: FuzzHook) => (r: FuzzRequest) => FuzzReply;
  return factory(core, hook);
}

/** Names of the mutation kinds, by number. */
export const MUTATION_NAMES = ['flip bits', 'set byte', 'truncate', 'extend', 'size field', 'set word', 'swap words', 'delete word', 'insert word'];
