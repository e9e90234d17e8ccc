/**
 * Node-vs-XS checks for scalar fixed-point ops: the same calls in both
 * engines must give the same bits and the same status flags, and calling an
 * op many times in XS must not grow the heap.
 *
 * An op is called as `M[op](q, ...args)` with `q = M.createQ(f)`, or as
 * `M[op](...args)` when `noQ` is set (min, max, clamp, ...).
 */
import * as core from '../../src/index.js';
import type { XsWorker } from '../../tools/xs/runner.js';

export interface OpCall {
  op: string;
  f: number;
  noQ?: boolean;
  /** One argument list per call. */
  args: number[][];
}

/** Installed once per worker: runs a batch of calls, or a long loop for the heap check. */
export const OPS_SCENARIO = `
globalThis.scenario = (r) => {
  const fn = M[r.op];
  if (typeof fn !== 'function') throw new Error('no such op: ' + r.op);
  const q = M.createQ(r.f);
  if (r.kind === 'batch') {
    const out = [];
    const flags = [];
    for (const a of r.args) {
      q.flags = 0;
      out.push(r.noQ ? fn(...a) : fn(q, ...a));
      flags.push(q.flags);
    }
    return { out, flags };
  }
  // kind 'loop': n calls cycling over a few preset argument lists, nothing kept.
  const a = r.args;
  const k = a.length;
  let acc = 0;
  if (r.noQ) {
    if (a[0].length === 1) for (let i = 0; i < r.n; i++) acc ^= fn(a[i % k][0]);
    else if (a[0].length === 2) for (let i = 0; i < r.n; i++) acc ^= fn(a[i % k][0], a[i % k][1]);
    else for (let i = 0; i < r.n; i++) acc ^= fn(a[i % k][0], a[i % k][1], a[i % k][2]);
  } else {
    if (a[0].length === 1) for (let i = 0; i < r.n; i++) acc ^= fn(q, a[i % k][0]);
    else if (a[0].length === 2) for (let i = 0; i < r.n; i++) acc ^= fn(q, a[i % k][0], a[i % k][1]);
    else for (let i = 0; i < r.n; i++) acc ^= fn(q, a[i % k][0], a[i % k][1], a[i % k][2]);
  }
  return acc;
};
`;

/** The same calls in Node, with the flags each call raised. */
export function runInNode(call: OpCall): { out: number[]; flags: number[] } {
  const fn = (core as unknown as Record<string, (...a: unknown[]) => number>)[call.op];
  if (typeof fn !== 'function') throw new Error(`no such op: ${call.op}`);
  const q = core.createQ(call.f);
  const out: number[] = [];
  const flags: number[] = [];
  for (const a of call.args) {
    q.flags = 0;
    out.push(call.noQ ? fn(...a) : fn(q, ...a));
    flags.push(q.flags);
  }
  return { out, flags };
}

/** Runs the calls in XS in batches; returns the first mismatch with Node, or null. */
export async function firstMismatch(xs: XsWorker, call: OpCall, batch = 20_000): Promise<string | null> {
  const node = runInNode(call);
  for (let start = 0; start < call.args.length; start += batch) {
    const args = call.args.slice(start, start + batch);
    const { reply } = await xs.call<{ out: number[]; flags: number[] }>({ ...call, kind: 'batch', args });
    for (let i = 0; i < args.length; i++) {
      const j = start + i;
      if (!Object.is(reply.out[i], node.out[j]) || reply.flags[i] !== node.flags[j]) {
        return `${call.op}(f=${call.f}, ${args[i].join(', ')}): node ${node.out[j]} flags ${node.flags[j]}, xs ${reply.out[i]} flags ${reply.flags[i]}`;
      }
    }
  }
  return null;
}

/**
 * Heap slots in use right after `n` calls, counted from a fresh GC with no
 * collection in between (XS counts every slot it hands out). Call with two
 * different n: equal counts mean no allocation per call.
 */
export async function heapAfterCalls(xs: XsWorker, call: OpCall, n: number): Promise<number> {
  await xs.gc();
  const { meter } = await xs.call({ ...call, kind: 'loop', n });
  return meter.heapCount;
}
