export * from './q.js';
