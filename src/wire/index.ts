export * from './crc32.js';
