/**
 * How many random cases a test runs. The full count (SPEC: at least 10^6 per
 * op) in a normal run; fewer under the integer-purity instrumentation, where
 * every arithmetic result is checked and runs some tens of times slower.
 */
export const PURITY = process.env.MATRIOSHKA_PURITY === '1';
export const RANDOM_CASES = PURITY ? 20_000 : 1_000_000;
export const XS_CASES = 100_000;
