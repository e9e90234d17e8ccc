/**
 * A bounds-checked little-endian reader over a byte array: the only way the
 * image loader and the fossil record read bytes.
 *
 * Every read first checks that its bytes lie inside `[pos, end)`, where
 * `end` never exceeds `bytes.length`; a read that would cross `end` records
 * an error (the first one sticks, with the offset where it happened) and
 * returns 0 without touching the array. After an error every read returns 0,
 * so a parser may check `r.error` once per structure rather than per value.
 *
 * Integer-pure (docs/integer-purity.md): offsets stay below the array length
 * (< 2^31), 32-bit words are assembled with `|` and `<<` (an int32, so an
 * unsigned field of 2^31 or more reads as a negative number and fails every
 * range check that follows). Load time only: clarity over speed.
 */

export interface Reader {
  /** The whole image. */
  readonly bytes: Uint8Array;
  /** Next byte to read. */
  pos: number;
  /** End of the readable window (exclusive), <= bytes.length. */
  end: number;
  /** The first error code recorded (0 = none). */
  error: number;
  /** Byte offset of the first error. */
  errorAt: number;
}

/**
 * A reader over `bytes[start, end)`. The caller guarantees
 * `0 <= start <= end <= bytes.length`. Allocates the reader object.
 */
export function createReader(bytes: Uint8Array, start: number, end: number): Reader {
  return { bytes, pos: start, end, error: 0, errorAt: 0 };
}

/** Records `code` at byte `at` unless an error is already recorded. Returns 0 for convenience. */
export function readerFail(r: Reader, code: number, at: number): number {
  if (r.error === 0) {
    r.error = code;
    r.errorAt = at;
  }
  return 0;
}

/** True when `count` more bytes (count >= 0) can be read: no error so far and `pos + count <= end`. */
export function readerHas(r: Reader, count: number): boolean {
  // end - pos >= 0 always; comparing with the difference avoids forming pos + count.
  return r.error === 0 && count >= 0 && count <= r.end - r.pos;
}

/** Reads an unsigned byte; 0 and `code` recorded if it is not there. */
export function readU8(r: Reader, code: number): number {
  if (!readerHas(r, 1)) return readerFail(r, code, r.pos);
  const v = r.bytes[r.pos];
  r.pos = r.pos + 1;
  return v;
}

/** Reads an unsigned little-endian 16-bit value (0..65535); 0 and `code` recorded if it is not there. */
export function readU16(r: Reader, code: number): number {
  if (!readerHas(r, 2)) return readerFail(r, code, r.pos);
  const b = r.bytes;
  const p = r.pos;
  r.pos = p + 2;
  return b[p] | (b[p + 1] << 8);
}

/**
 * Reads a little-endian 32-bit word as an int32 (a u32 field of 2^31 or more
 * comes back negative); 0 and `code` recorded if it is not there.
 */
export function readI32(r: Reader, code: number): number {
  if (!readerHas(r, 4)) return readerFail(r, code, r.pos);
  const b = r.bytes;
  const p = r.pos;
  r.pos = p + 4;
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/**
 * Reads a 32-bit count and checks `lo <= v <= hi`; on failure records
 * `code` at the count's offset and returns 0.
 */
export function readCount(r: Reader, lo: number, hi: number, code: number): number {
  const at = r.pos;
  const v = readI32(r, code);
  if (r.error !== 0) return 0;
  if (v < lo || v > hi) return readerFail(r, code, at);
  return v;
}

/** The int32 at `bytes[at, at + 4)`; the caller has checked the bounds. */
export function peekI32(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
}

/** The u16 at `bytes[at, at + 2)`; the caller has checked the bounds. */
export function peekU16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}
