import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { CRC32_INIT, crc32Bytes, crc32Final, crc32Words } from '../../src/wire/crc32.js';
import { Rng } from '../helpers/rng.js';

describe('crc32', () => {
  it('has the standard check value', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32Bytes(bytes, 0, bytes.length) >>> 0).toBe(0xcbf43926);
  });

  it('equals zlib on random buffers and sub-ranges', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 200; t++) {
      const bytes = new Uint8Array(rng.range(0, 300)).map(() => rng.range(0, 255));
      const start = rng.range(0, bytes.length);
      const length = rng.range(0, bytes.length - start);
      expect(crc32Bytes(bytes, start, length) >>> 0).toBe(zlib.crc32(bytes.subarray(start, start + length)));
    }
  });

  it('digests int32 words as little-endian bytes', () => {
    const words = Int32Array.of(0, -1, 0x7fffffff, -0x7fffffff - 1, 0x12345678);
    const bytes = new Uint8Array(words.buffer.slice(0));
    expect(crc32Final(crc32Words(CRC32_INIT, words, words.length)) >>> 0).toBe(zlib.crc32(bytes));
    expect(crc32Final(crc32Words(CRC32_INIT, words, 2)) >>> 0).toBe(zlib.crc32(bytes.subarray(0, 8)));
  });
});
