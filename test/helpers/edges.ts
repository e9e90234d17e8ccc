/**
 * One labelled list of edge inputs shared by every fixed-point test (as
 * libfixmath's tests do): extremes, zero, one unit, carries, exact ties.
 */
export const INT32_EDGES: readonly number[] = [
  0, 1, -1, 2, -2, 3, -3,
  0x7fffffff, -0x7fffffff, -0x7fffffff - 1, 0x7ffffffe,
  0xffff, -0xffff, 0x10000, -0x10000, 0x1ffff, -0x1ffff, 0x8000, -0x8000, 0x7fff, -0x7fff,
  0x00ff_ffff, -0x00ff_ffff, 0x0100_0000, 0x4000_0000, -0x4000_0000, 0x3fff_ffff,
  0x5555_5555, -0x5555_5555, 0x2aaa_aaab, 0x0001_8000, -0x0001_8000, 0x0000_8001,
  46340, -46340, 46341, 0x00b5_04f3, 1 << 23, (1 << 23) + 1, -(1 << 23),
];

/** Values whose low `bits` bits are exactly half a unit: ties for a rounding shift by `bits`. */
export function tiesFor(bits: number): number[] {
  const half = 1 << (bits - 1);
  const out: number[] = [];
  for (const k of [0, 1, 2, 3, 4, 5, -1, -2, -3, -4, 1000, -1001]) out.push(k * (1 << bits) + half);
  return out.filter((v) => v >= -0x80000000 && v <= 0x7fffffff);
}
