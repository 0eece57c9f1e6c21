// The HTML report in headless Chromium: no console errors, nothing fetched, log axes that keep the
// TCP rows off the floor, the run's facts and a sentence per scenario. Built from fixed rows shaped
// like the README's table (in-memory rows ~200,000 ops/s beside TCP rows ~700), so it runs fast.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { browserTestsEnabled, CHROMIUM, CHROMIUM_ARGS, openPage } from "../../../scripts/browser-page.mjs";
import { formatHtml } from "../src/report/html.js";
import type { RunInfo } from "../src/report/run-info.js";
import type { ScenarioResult } from "../src/stats.js";

function row(
  scenario: string,
  clients: number,
  opsPerSec: number,
  p50: number,
  stallMs?: number,
): ScenarioResult {
  return {
    scenario,
    transport: scenario.includes("tcp") ? "tcp" : "labrpc",
    servers: 3,
    clients,
    durationS: 0.75,
    ops: Math.round(opsPerSec * 0.75),
    opsPerSec,
    latencyMs: { p50, p90: p50 * 2, p99: p50 * 5, max: p50 * 20 },
    rpcs: 100,
    rpcsPerOp: 3,
    bytesPerOp: 600,
    runs: 3,
    spread: { opsPerSecMin: opsPerSec * 0.8, opsPerSecMax: opsPerSec * 1.1 },
    ...(stallMs === undefined ? {} : { stallMs }),
  };
}

const RESULTS = [
  row("kvsrv-labrpc", 1, 203_107, 0.004),
  row("kvsrv-labrpc", 64, 174_136, 0.006),
  row("kvraft-tcp-3", 1, 737, 1.01),
  row("kvraft-tcp-3", 64, 23_603, 2.15),
  row("failover-tcp-3", 8, 2_670, 1.55, 616),
  { ...row("failover-tcp-3", 64, 0, 0), ops: 0 }, // nothing completed: no point, no sentence about it
];
const INFO: RunInfo = {
  date: "2026-11-29T19:00:00.000Z",
  node: "v20.20.2",
  os: "linux 6.1.0",
  cpus: "2 × Test CPU",
  commit: "0123456789ab",
  parameters: {
    runs: 3,
    durationS: 0.75,
    warmupS: 0.25,
    clients: [1, 8, 64],
    mix: { get: 50, put: 25, append: 25 },
    keys: 1000,
    valueBytes: 100,
    reads: "log",
    timing: "defaults",
  },
  scenarios: [
    { name: "kvsrv-labrpc", description: "single key/value server", durationS: 0.75 },
    { name: "kvraft-tcp-3", description: "kvraft, 3 server processes over TCP", durationS: 0.75 },
    { name: "failover-tcp-3", description: "kvraft-tcp-3 with the leader killed", durationS: 2 },
  ],
};

if (browserTestsEnabled("report-browser.test.ts")) {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "raftkit-bench-report-"));
  const path = join(dir, "report.html");
  writeFileSync(path, formatHtml(INFO, RESULTS, "raftkit benchmark"));

  test.before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  test.after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the report opens with no console error, page error or network request", async () => {
    const { page, problems } = await openPage(browser, path);
    assert.equal(problems, []);
    assert.is(await page.locator("svg").count(), 3);
    await page.close();
  });

  test("the throughput axis is logarithmic with round labels, so TCP rows are not flattened to zero", async () => {
    const { page } = await openPage(browser, path);
    const chart = page.locator("svg").first();
    const labels = await chart.locator("text.y-tick").allTextContents();
    assert.ok(labels.includes("1k") && labels.includes("10k") && labels.includes("100k"), labels.join(" "));
    for (const label of labels) assert.match(label, /^\d+(\.\d+)?[kM]?$/, `tick label ${label}`);
    const cy = async (series: string) =>
      Number(await chart.locator(`g[data-series="${series}"] circle`).first().getAttribute("cy"));
    const [memory, tcp] = [await cy("kvsrv-labrpc"), await cy("kvraft-tcp-3")];
    const floor = Number(await chart.locator("line").first().getAttribute("y1"));
    // 737 ops/s against 203,107: a linear axis put it 0.3% of the height above the floor.
    assert.ok(
      floor - tcp > 0.25 * (floor - memory),
      `tcp at y=${tcp}, memory at y=${memory}, floor ${floor}`,
    );
    assert.is(await chart.locator("path.spread").count(), RESULTS.length - 1, "a min–max bar per point");
    assert.is(
      await page.locator('g[data-series="failover-tcp-3"] circle').count(),
      3,
      "no point for 0 ops/s",
    );
    await page.close();
  });

  test("the page shows the run's date, commit, Node version and parameters, and a sentence per scenario", async () => {
    const { page } = await openPage(browser, path);
    assert.is(await page.locator("dd.date").textContent(), INFO.date);
    assert.is(await page.locator("dd.commit").textContent(), INFO.commit);
    assert.is(await page.locator("dd.Nodejs").textContent(), INFO.node);
    assert.match(
      (await page.locator("dd.parameters").textContent()) ?? "",
      /3 run\(s\) of 0\.75 s, failover-tcp-3 2 s/,
    );
    const sentences = await page.locator("ul.scenarios li").allTextContents();
    assert.is(sentences.length, 3);
    assert.match(sentences[1]!, /kvraft-tcp-3: .*best 23,603 ops\/s \(runs 18,882–25,963\) with 64 clients/);
    assert.match(sentences[2]!, /writes stalled for up to 616 ms/);
    await page.close();
  });
}

test.run();
