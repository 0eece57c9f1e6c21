import type { ScenarioResult } from "../stats.js";
import { esc, lineChart, type Series } from "./chart.js";
import { describeParameters, type RunInfo } from "./run-info.js";
import { scenarioSentences } from "./summary.js";
import { COLUMNS, rowCells } from "./table.js";

function byScenario(
  results: ScenarioResult[],
  value: (r: ScenarioResult) => number,
  spread?: (r: ScenarioResult) => [number, number],
): Series[] {
  const names = [...new Set(results.map((r) => r.scenario))];
  return names.map((name) => ({
    name,
    points: results
      .filter((r) => r.scenario === name)
      .map((r) => {
        const [low, high] = spread?.(r) ?? [undefined, undefined];
        return { x: r.clients, y: value(r), ...(low === undefined ? {} : { low, high }) };
      }),
  }));
}

function table(results: ScenarioResult[]): string {
  const head = COLUMNS.map((h) => `<th>${h}</th>`).join("");
  const rows = results.map(
    (r) =>
      `<tr>${rowCells(r)
        .map((cell) => `<td>${esc(cell)}</td>`)
        .join("")}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

/** A self-contained page (no scripts, no network assets): how it ran, a sentence per scenario, charts, the table. */
export function formatHtml(info: RunInfo, results: ScenarioResult[], title: string): string {
  const sentences = scenarioSentences(info, results)
    .map((s) => `<li><strong>${esc(s.name)}</strong>: ${esc(s.text)}</li>`)
    .join("\n");
  const facts = [
    ["date", info.date],
    ["commit", info.commit],
    ["Node.js", info.node],
    ["machine", `${info.os}, ${info.cpus}`],
    ["parameters", describeParameters(info)],
  ]
    .map(([k, v]) => `<dt>${k}</dt><dd class="${k!.replace(/\W/g, "")}">${esc(v!)}</dd>`)
    .join("");
  const latency = (["p50", "p99"] as const).map((p) =>
    lineChart(
      `Latency ${p} vs clients`,
      "ms",
      byScenario(results, (r) => r.latencyMs[p]),
    ),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#111;max-width:60em}svg{max-width:720px;display:block;margin:1em 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 1em}dt{font-weight:bold}dd{margin:0}
table{border-collapse:collapse}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:right;white-space:nowrap}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>${esc(title)}</h1>
<dl class="run">${facts}</dl>
<h2>Scenarios</h2>
<ul class="scenarios">
${sentences}
</ul>
<p>Charts use log scales on both axes; the bars on the throughput chart span the slowest and fastest run.</p>
${lineChart(
  "Throughput vs clients",
  "ops/s",
  byScenario(
    results,
    (r) => r.opsPerSec,
    (r) => [r.spread.opsPerSecMin, r.spread.opsPerSecMax],
  ),
)}
${latency.join("\n")}
${table(results)}
</body></html>
`;
}
