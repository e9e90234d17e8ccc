/**
 * CRC-32 (IEEE 802.3 polynomial, reflected, as zlib): frame checks (SPEC 13),
 * image checks (SPEC 12) and per-step state digests (SPEC 15).
 * Check value: crc32("123456789") = 0xCBF43926 (as int32: -0x340bc6da).
 *
 * Integer-pure: `>>> 1` would exceed int32 for a negative crc, so the shift
 * is `>> 1` with the sign bit masked off. Bitwise, no table: about eight
 * times slower per byte than a table, but nothing to keep in flash.
 */

/** The reflected polynomial 0xEDB88320, in signed form. */
const POLY = -0x12477ce0;

/** Starting value for `crc32Byte`; finish with `crc32Final`. */
export const CRC32_INIT = -1;

/** Folds one byte (0..255) into a running CRC. */
export function crc32Byte(crc: number, byte: number): number {
  let c = crc ^ byte;
  for (let k = 0; k < 8; k++) {
    // 0 - (c & 1) is 0 or -1: a mask that selects the polynomial.
    c = ((c >> 1) & 0x7fffffff) ^ (POLY & (0 - (c & 1)));
  }
  return c;
}

/** The finished CRC of a running value, as an int32 (reinterpret with `>>> 0` on the host). */
export function crc32Final(crc: number): number {
  return ~crc;
}

/** CRC of bytes[start .. start + length). */
export function crc32Bytes(bytes: Uint8Array, start: number, length: number): number {
  let c = CRC32_INIT;
  const end = start + length;
  for (let i = start; i < end; i++) c = crc32Byte(c, bytes[i]);
  return ~c;
}

/**
 * Folds the first `n` int32 words of `words` into a running CRC, each word as
 * four little-endian bytes: the digest of a state vector, the same on every
 * engine and byte order.
 */
export function crc32Words(crc: number, words: Int32Array, n: number): number {
  let c = crc;
  for (let i = 0; i < n; i++) {
    const w = words[i];
    c = crc32Byte(c, w & 0xff);
    c = crc32Byte(c, (w >> 8) & 0xff);
    c = crc32Byte(c, (w >> 16) & 0xff);
    c = crc32Byte(c, (w >> 24) & 0xff);
  }
  return c;
}
