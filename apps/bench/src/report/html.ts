import type { ScenarioResult } from "../stats.js";

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];

interface Series {
  name: string;
  points: Array<{ x: number; y: number }>;
}

/** A line chart as inline SVG: x on a log2 axis (client counts), y linear from 0. */
function lineChart(title: string, yLabel: string, series: Series[]): string {
  const W = 640;
  const H = 300;
  const pad = { left: 70, right: 160, top: 30, bottom: 40 };
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const yMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.y))) * 1.1;
  const lx = (x: number) => Math.log2(x);
  const [x0, x1] = [lx(xs[0] ?? 1), lx(xs[xs.length - 1] ?? 2)];
  const sx = (x: number) =>
    pad.left + (x1 === x0 ? 0.5 : (lx(x) - x0) / (x1 - x0)) * (W - pad.left - pad.right);
  const sy = (y: number) => H - pad.bottom - (y / yMax) * (H - pad.top - pad.bottom);
  const ticks = Array.from({ length: 5 }, (_, i) => (yMax / 4) * i);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">`,
    `<text x="${W / 2 - pad.right / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    ...ticks.map(
      (t) =>
        `<line x1="${pad.left}" x2="${W - pad.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e7eb"/>` +
        `<text x="${pad.left - 6}" y="${sy(t) + 4}" text-anchor="end" font-size="11">${t >= 100 ? t.toFixed(0) : t.toFixed(1)}</text>`,
    ),
    ...xs.map(
      (x) => `<text x="${sx(x)}" y="${H - pad.bottom + 16}" text-anchor="middle" font-size="11">${x}</text>`,
    ),
    `<text x="${(pad.left + W - pad.right) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">clients</text>`,
    `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle" font-size="12">${esc(yLabel)}</text>`,
  ];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
    for (const p of s.points) parts.push(`<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="3" fill="${color}"/>`);
    parts.push(
      `<rect x="${W - pad.right + 12}" y="${pad.top + i * 18}" width="10" height="10" fill="${color}"/>` +
        `<text x="${W - pad.right + 28}" y="${pad.top + i * 18 + 9}" font-size="11">${esc(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function byScenario(results: ScenarioResult[], value: (r: ScenarioResult) => number): Series[] {
  const names = [...new Set(results.map((r) => r.scenario))];
  return names.map((name) => ({
    name,
    points: results.filter((r) => r.scenario === name).map((r) => ({ x: r.clients, y: value(r) })),
  }));
}

/** A self-contained page (no scripts, no network assets): charts and the full table. */
export function formatHtml(results: ScenarioResult[], title: string): string {
  const rows = results
    .map(
      (r) =>
        `<tr><td>${esc(r.scenario)}</td><td>${r.servers}</td><td>${r.clients}</td><td>${Math.round(r.opsPerSec)}</td>` +
        `<td>${r.latencyMs.p50.toFixed(2)}</td><td>${r.latencyMs.p90.toFixed(2)}</td><td>${r.latencyMs.p99.toFixed(2)}</td>` +
        `<td>${r.latencyMs.max.toFixed(1)}</td><td>${r.rpcsPerOp.toFixed(2)}</td><td>${Math.round(r.bytesPerOp)}</td>` +
        `<td>${r.stallMs === undefined ? "" : Math.round(r.stallMs)}</td></tr>`,
    )
    .join("\n");
  const latency = ["p50", "p90", "p99"] as const;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#111}svg{max-width:720px;display:block;margin:1em 0}
table{border-collapse:collapse}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:right}td:first-child{text-align:left}</style>
</head><body>
<h1>${esc(title)}</h1>
${lineChart(
  "Throughput vs clients",
  "ops/s",
  byScenario(results, (r) => r.opsPerSec),
)}
${latency
  .map((p) =>
    lineChart(
      `Latency ${p} vs clients`,
      "ms",
      byScenario(results, (r) => r.latencyMs[p]),
    ),
  )
  .join("\n")}
<table><thead><tr><th>scenario</th><th>servers</th><th>clients</th><th>ops/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>RPCs/op</th><th>bytes/op</th><th>stall ms</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
