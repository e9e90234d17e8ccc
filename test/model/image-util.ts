/**
 * Byte-level helpers for image tests: read and write little-endian fields,
 * fix the CRC up after a change, find a section's content.
 */
import { crc32Bytes } from '../../src/wire/crc32.js';
import { IMAGE_HEADER_BYTES, IMAGE_SECTION_ORDER } from '../../src/model/format.js';

export function getI32(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
}

export function setI32(b: Uint8Array, at: number, v: number): void {
  for (let i = 0; i < 4; i++) b[at + i] = (v >> (8 * i)) & 0xff;
}

export function setU16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >> 8) & 0xff;
}

/** Rewrites the trailing CRC of `b` (in place) and returns `b`. */
export function fixCrc(b: Uint8Array): Uint8Array {
  setI32(b, b.length - 4, crc32Bytes(b, 0, b.length - 4));
  return b;
}

/** A copy of `image` changed by `edit`, with the CRC fixed up. */
export function edited(image: Uint8Array, edit: (b: Uint8Array) => void): Uint8Array {
  const b = image.slice();
  edit(b);
  return fixCrc(b);
}

/** Offsets of each section: its tag, and its content (after tag and length), in image order. */
export function sections(image: Uint8Array): { tag: number; at: number; content: number; length: number }[] {
  const out: { tag: number; at: number; content: number; length: number }[] = [];
  let p = IMAGE_HEADER_BYTES;
  for (let k = 0; k < IMAGE_SECTION_ORDER.length; k++) {
    const length = getI32(image, p + 4);
    out.push({ tag: getI32(image, p), at: p, content: p + 8, length });
    p = p + 8 + length;
  }
  return out;
}

/** Content offset of the section with `tag`. */
export function sectionContent(image: Uint8Array, tag: number): number {
  const s = sections(image).find((x) => x.tag === tag);
  if (!s) throw new Error(`no section ${tag.toString(16)}`);
  return s.content;
}
