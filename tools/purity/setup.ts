/**
 * Setup file of the vitest project `purity`: fails the current test if the
 * instrumented build recorded a violation, even one whose exception the code
 * under test caught and swallowed.
 */
import { afterAll, afterEach } from 'vitest';
import { takeViolations } from './runtime.js';

function check(failed: boolean): void {
  const v = takeViolations();
  // A test that already failed shows its own error (normally this violation).
  if (v.length > 0 && !failed) {
    const more = v.length > 1 ? ` (and ${v.length - 1} more)` : '';
    throw new Error(`${v[0]}${more}`);
  }
}

afterEach((ctx) => check(ctx.task.result?.state === 'fail'));
afterAll(() => check(false));
