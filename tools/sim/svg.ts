/**
 * The `--svg` plot of `matrioshka sim`: the trajectory in a 2-D projection
 * (axes u, v), the shells' facets in the slice through the start state, and
 * the boundary events. Host-side (floats are fine here).
 */
import type { ModelSpec } from '../../src/engine/model.js';

export interface PlotInput {
  model: ModelSpec;
  axes: [number, number];
  /** The slice point: coordinates of the other axes. */
  slice: number[];
  /** Per step: n values then the result code (SimResult.trace). */
  trace: number[];
  x0: number[];
  boundaries: { x: number[] }[];
  title: string;
}

type Pt = [number, number];

/** Clips a polygon by the half-plane a u + b v <= c (Sutherland-Hodgman). */
function clip(poly: Pt[], a: number, b: number, c: number): Pt[] {
  const out: Pt[] = [];
  for (let k = 0; k < poly.length; k++) {
    const p = poly[k];
    const q = poly[(k + 1) % poly.length];
    const fp = a * p[0] + b * p[1] - c;
    const fq = a * q[0] + b * q[1] - c;
    if (fp <= 0) out.push(p);
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** The polygon P ∩ {x_k = slice_k, k not in axes}, in real units, clipped to a large square. */
export function slicePolygon(A: number[][], b: number[], axes: [number, number], slice: number[], one: number, big: number): Pt[] {
  let poly: Pt[] = [[-big, -big], [big, -big], [big, big], [-big, big]];
  const [u, v] = axes;
  for (let i = 0; i < A.length; i++) {
    let rest = 0;
    for (let k = 0; k < A[i].length; k++) if (k !== u && k !== v) rest += (A[i][k] / one) * (slice[k] / one);
    poly = clip(poly, A[i][u] / one, A[i][v] / one, b[i] / one - rest);
    if (poly.length === 0) break;
  }
  return poly;
}

export function renderSvg(p: PlotInput): string {
  const { model, axes } = p;
  const one = 2 ** (model.f ?? 16);
  const n = model.n;
  const [u, v] = axes;
  const path: Pt[] = [[p.x0[u] / one, p.x0[v] / one]];
  for (let k = 0; k + n < p.trace.length + 1; k += n + 1) path.push([p.trace[k + u] / one, p.trace[k + v] / one]);
  // Every family's shells: colour by family, dash by level.
  const shells = model.families.flatMap((fam, k) => fam.levels.map((P, l) => ({ k, l, poly: slicePolygon(P.A, P.b, axes, p.slice, one, 1e6) })));
  const outer = shells.filter((s) => s.l === 0).flatMap((s) => s.poly);

  // View box: the outer shell's slice, or the trajectory when the shell is unbounded there.
  const pts = outer.length > 0 && outer.every(([a, b]) => Math.abs(a) < 1e5 && Math.abs(b) < 1e5) ? outer.concat(path) : path;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [a, b] of pts) {
    x0 = Math.min(x0, a);
    y0 = Math.min(y0, b);
    x1 = Math.max(x1, a);
    y1 = Math.max(y1, b);
  }
  const pad = 0.08 * Math.max(x1 - x0, y1 - y0, 1e-9);
  [x0, y0, x1, y1] = [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
  const W = 640;
  const H = Math.max(200, Math.min(1000, Math.round((W * (y1 - y0)) / (x1 - x0))));
  const X = (a: number) => (((a - x0) / (x1 - x0)) * W).toFixed(2);
  const Y = (b: number) => (H - ((b - y0) / (y1 - y0)) * H).toFixed(2);
  const colours = ['#4b6584', '#3867d6', '#8854d0', '#0fb9b1', '#20bf6b'];

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 40}" viewBox="0 -40 ${W} ${H + 40}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="-40" width="${W}" height="${H + 40}" fill="white"/>`);
  out.push(`<text x="8" y="-22" font-size="14">${escape(p.title)}</text>`);
  out.push(`<text x="8" y="-6" fill="#555">axes x${u} (right), x${v} (up); shells (colour: family, dashes: level); red: boundary records</text>`);
  for (const { k, l, poly } of shells) {
    if (poly.length < 3) continue;
    const d = poly.map(([a, b], i) => `${i ? 'L' : 'M'}${X(a)},${Y(b)}`).join(' ') + ' Z';
    const dash = l === 0 ? '' : ` stroke-dasharray="${6 - l} ${2 + l}"`;
    out.push(`<path d="${d}" fill="none" stroke="${colours[k % colours.length]}" stroke-width="1.5"${dash}><title>family ${k}, level ${l}</title></path>`);
  }
  if (path.length > 1) {
    const stride = Math.max(1, Math.floor(path.length / 20000));
    const d = path.filter((_, k) => k % stride === 0 || k === path.length - 1).map(([a, b], k) => `${k ? 'L' : 'M'}${X(a)},${Y(b)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="#eb3b5a" stroke-opacity="0.25" stroke-width="1"/>`);
    out.push(`<path d="${d}" fill="none" stroke="#222" stroke-width="0.6"/>`);
  }
  out.push(`<circle cx="${X(path[0][0])}" cy="${Y(path[0][1])}" r="4" fill="#20bf6b"><title>start</title></circle>`);
  const last = path[path.length - 1];
  out.push(`<circle cx="${X(last[0])}" cy="${Y(last[1])}" r="4" fill="#222"><title>end</title></circle>`);
  for (const bd of p.boundaries) {
    out.push(`<circle cx="${X(bd.x[u] / one)}" cy="${Y(bd.x[v] / one)}" r="5" fill="none" stroke="#eb3b5a" stroke-width="2"/>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
