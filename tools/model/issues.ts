/**
 * Model errors: every problem found in a model is an `Issue`, a JSON path
 * and the rule it breaks (`families[0].levels[2].A[3]: row has 5 entries,
 * n is 4`). A model with issues is refused with a `ModelError` that lists
 * them all.
 */

export interface Issue {
  /** JSON path of the offending value (`levels[1].windows[0].mu[2]`), or `model` for the whole. */
  path: string;
  /** The rule broken, in words. */
  rule: string;
}

/** A model refused: `issues` says where and why (in the order found). */
export class ModelError extends Error {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    super(issues.map((i) => `${i.path}: ${i.rule}`).join('\n'));
    this.name = 'ModelError';
    this.issues = issues;
  }
}

/**
 * Turns a `path: rule` message thrown by an engine check (src/engine/
 * validate.ts, operator factories) into an Issue, with `fallback` as the
 * path when the message has none.
 */
export function issueFromMessage(message: string, fallback: string): Issue {
  const m = /^([A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$-]*)*): (.*)$/s.exec(message);
  return m ? { path: m[1], rule: m[2] } : { path: fallback, rule: message };
}

/** A short rendering of a bad JSON value for a message. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return 'an object';
}
