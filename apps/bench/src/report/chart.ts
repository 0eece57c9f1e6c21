import { logScale, tickLabel } from "./log-scale.js";

export const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];

export interface Point {
  x: number;
  y: number;
  /** The spread over runs, drawn as a vertical bar when given. */
  low?: number;
  high?: number;
}

export interface Series {
  name: string;
  points: Point[];
}

const W = 640;
const H = 300;
const PAD = { left: 70, right: 170, top: 30, bottom: 40 };

/**
 * A line chart as inline SVG: x is the client count on a log2 axis, y a log10 axis with round
 * ticks, so rows thousands of times apart all stay readable. Each point carries a `<title>`; a
 * value of 0 (a row that completed no operation) is left out.
 */
export function lineChart(title: string, yLabel: string, all: Series[]): string {
  // A row with no operation has no throughput or latency to show: leave a gap, not a point at 0.
  const series = all.map((s) => ({ ...s, points: s.points.filter((p) => p.y > 0) }));
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const y = logScale(series.flatMap((s) => s.points.flatMap((p) => [p.y, p.low ?? p.y, p.high ?? p.y])));
  const [x0, x1] = [Math.log2(xs[0] ?? 1), Math.log2(xs[xs.length - 1] ?? 2)];
  const plotW = W - PAD.left - PAD.right;
  const sx = (x: number) => PAD.left + (x1 === x0 ? 0.5 : (Math.log2(x) - x0) / (x1 - x0)) * plotW;
  const sy = (v: number) => H - PAD.bottom - y.position(v) * (H - PAD.top - PAD.bottom);
  const f = (n: number) => n.toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">`,
    `<text x="${PAD.left + plotW / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    ...y.ticks.map(
      (t) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#e5e7eb"/>` +
        `<text class="y-tick" x="${PAD.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end" font-size="11">${tickLabel(t)}</text>`,
    ),
    ...xs.map(
      (x) =>
        `<text class="x-tick" x="${f(sx(x))}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11">${x}</text>`,
    ),
    `<text x="${PAD.left + plotW / 2}" y="${H - 6}" text-anchor="middle" font-size="12">clients (log scale)</text>`,
    `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle" font-size="12">${esc(yLabel)} (log scale)</text>`,
  ];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.map((p) => `${f(sx(p.x))},${f(sy(p.y))}`).join(" ");
    parts.push(`<g class="series" data-series="${esc(s.name)}">`);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
    for (const p of s.points) {
      if (p.low !== undefined && p.high !== undefined) {
        const [x, top, bottom] = [f(sx(p.x)), f(sy(p.high)), f(sy(p.low))];
        parts.push(
          `<path class="spread" d="M${x} ${top}V${bottom}M${+x - 4} ${top}h8M${+x - 4} ${bottom}h8" stroke="${color}"/>`,
        );
      }
      const tip = `${s.name}, ${p.x} clients: ${p.y.toPrecision(3)} ${yLabel}`;
      parts.push(
        `<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="3" fill="${color}"><title>${esc(tip)}</title></circle>`,
      );
    }
    parts.push("</g>");
    parts.push(
      `<rect x="${W - PAD.right + 12}" y="${PAD.top + i * 18}" width="10" height="10" fill="${color}"/>` +
        `<text x="${W - PAD.right + 28}" y="${PAD.top + i * 18 + 9}" font-size="11">${esc(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
