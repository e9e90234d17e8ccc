export * from './crt.js';
