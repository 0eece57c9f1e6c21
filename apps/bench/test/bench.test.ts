import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunInfo } from "../src/report/run-info.js";
import { DEFAULT_SCENARIOS as SCENARIOS } from "../src/scenarios/index.js";
import { percentile, type ScenarioResult, summarizeLatency } from "../src/stats.js";

const main = new URL("../src/main.ts", import.meta.url).pathname;
const bench = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", main, ...args], {
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });

test("percentiles use the nearest rank", () => {
  const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.is(percentile(sorted, 0.5), 50);
  assert.is(percentile(sorted, 0.99), 99);
  assert.is(percentile(Float64Array.of(7), 0.99), 7);
  assert.equal(summarizeLatency(Float64Array.of(3, 1, 2)), { p50: 2, p90: 3, p99: 3, max: 3 });
});

test("every default scenario runs briefly and reports sane figures (smoke: no speed is asserted)", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-bench-"));
  try {
    const json = join(dir, "out.json");
    const html = join(dir, "out.html");
    const names = SCENARIOS.map((s) => s.name).join(",");
    const run = bench([
      "--scenario",
      names,
      "--clients",
      "1,2",
      // The default windows (0.75 s; failover scenarios 2 s) after a 0.25 s warm-up: with 0.25 s
      // for all and no warm-up, TCP rows under heavy load (8 helpers on 2 cores, ~300 ms per
      // operation) sometimes completed no operation inside the window, a failover none before its kill.
      "--warmup",
      "0.25",
      "--runs",
      "1",
      "--json",
      json,
      "--html",
      html,
    ]);
    assert.is(run.status, 0, run.stderr);
    const { run: info, results } = JSON.parse(readFileSync(json, "utf8")) as {
      run: RunInfo;
      results: ScenarioResult[];
    };
    assert.match(info.date, /^\d{4}-\d\d-\d\dT/);
    assert.is(info.node, process.version);
    assert.match(info.commit, /^([0-9a-f]{12}(-dirty)?|unknown)$/);
    assert.equal(info.parameters.clients, [1, 2]);
    assert.is(info.parameters.durationS, 0.75);
    for (const s of info.scenarios) {
      const failover = SCENARIOS.find((scenario) => scenario.name === s.name)?.failover;
      assert.is(s.durationS, failover ? 2 : 0.75, s.name);
    }
    assert.equal(
      info.scenarios.map((s) => s.name),
      SCENARIOS.map((s) => s.name),
    );
    assert.is(
      results.length,
      SCENARIOS.reduce((n, s) => n + (s.clients ?? [1, 2]).length, 0),
    );
    for (const r of results) {
      const where = `${r.scenario} with ${r.clients} clients`;
      for (const key of [
        "scenario",
        "transport",
        "servers",
        "clients",
        "durationS",
        "ops",
        "opsPerSec",
        "latencyMs",
        "rpcs",
        "rpcsPerOp",
        "bytesPerOp",
      ]) {
        assert.ok(key in r, `${where}: no ${key}`);
      }
      assert.ok(r.ops > 0 && r.opsPerSec > 0, `${where}: no operations`);
      assert.ok(r.rpcsPerOp > 0 && r.bytesPerOp > 0, `${where}: no messages counted`);
      if (r.transport === "tcp" && process.platform === "linux") {
        const cpu = r.cpuUsPerOp;
        assert.ok(cpu, `${where}: no CPU time per operation`);
        assert.is(cpu!.servers.length, r.servers, `${where}: CPU time of every server process`);
        assert.ok(cpu!.servers.every((us) => us >= 0) && cpu!.client > 0, `${where}: ${JSON.stringify(cpu)}`);
      }
      assert.ok(
        r.latencyMs.p50 <= r.latencyMs.p99 && r.latencyMs.p99 <= r.latencyMs.max,
        `${where}: percentiles out of order`,
      );
    }
    assert.match(run.stdout, /ops\/s/);
    const page = readFileSync(html, "utf8");
    assert.match(page, /<svg/);
    assert.not.match(
      page.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, ""),
      /https?:\/\//,
      "no network assets",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--profile-dir writes a CPU profile per server process, and profile-summary.mjs reads them", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-bench-profiles-"));
  try {
    const args = ["--scenario", "kvraft-tcp-3", "--clients", "1", "--runs", "1", "--duration", "0.2"];
    const run = bench([...args, "--warmup", "0", "--profile-dir", dir]);
    assert.is(run.status, 0, run.stderr);
    const profiles = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    assert.equal(profiles.map((f) => f.replace(/-\d+\.cpuprofile$/, "")).sort(), [
      "member-0",
      "member-1",
      "member-2",
    ]);
    const script = new URL("../scripts/profile-summary.mjs", import.meta.url).pathname;
    const summary = execFileSync(process.execPath, [script, dir, "--top", "5"], { encoding: "utf8" });
    for (const file of profiles) assert.match(summary, new RegExp(`${file}: \\d+ ms sampled, \\d+ ms busy`));
    assert.match(summary, /^ *\d+\.\d% +\d+\.\d ms {2}\S/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--node-flags reach every raftkit-kv server process, and the report names them", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-bench-node-flags-"));
  try {
    const json = join(dir, "out.json");
    const args = ["--scenario", "kvraft-tcp-3", "--clients", "1", "--runs", "1", "--duration", "0.2"];
    // A flag whose effect shows from outside: each member writes a heap profile when it stops.
    const flags = `--min-semi-space-size=16  --heap-prof --heap-prof-dir=${dir}`;
    const run = bench([...args, "--warmup", "0", `--node-flags=${flags}`, "--json", json]);
    assert.is(run.status, 0, run.stderr);
    assert.is(readdirSync(dir).filter((f) => f.endsWith(".heapprofile")).length, 3);
    const { run: info } = JSON.parse(readFileSync(json, "utf8")) as { run: RunInfo };
    assert.equal(info.parameters.nodeFlags, [
      "--min-semi-space-size=16",
      "--heap-prof",
      `--heap-prof-dir=${dir}`,
    ]);
    assert.match(run.stdout, `raftkit-kv under node --min-semi-space-size=16 --heap-prof`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("frame-tap.mjs counts every process's frames by kind, and frame-summary.mjs gives them per Submit", () => {
  const dir = mkdtempSync(join(tmpdir(), "raftkit-bench-tap-"));
  try {
    const tap = new URL("../scripts/frame-tap.mjs", import.meta.url).pathname;
    const args = ["--scenario", "kvraft-tcp-3", "--clients", "1", "--mix", "0:1:0", "--runs", "1"];
    const run = spawnSync(process.execPath, ["--import", "tsx", main, ...args, "--duration", "0.3"], {
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: "0", FRAME_TAP_DIR: dir, NODE_OPTIONS: `--import ${tap}` },
    });
    assert.is(run.status, 0, run.stderr);
    assert.equal(
      readdirSync(dir)
        .map((f) => f.replace(/^\d+-/, ""))
        .sort(),
      ["client.json", "member.json", "member.json", "member.json"],
    );
    const script = new URL("../scripts/frame-summary.mjs", import.meta.url).pathname;
    const summary = execFileSync(process.execPath, [script, dir], { encoding: "utf8" });
    const row = (name: string) =>
      new RegExp(`^${name} +(\\d+\\.\\d+) frames/op +(\\d+\\.\\d) B/frame`, "m").exec(summary);
    const submit = row("client: Service\\.Submit");
    assert.ok(submit, summary);
    // A 100-byte put and its session, sequence number, addressing and frame.
    assert.ok(Number(submit![2]) > 100 && Number(submit![2]) < 200, summary);
    const append = row("member: AppendEntries");
    assert.ok(append && Number(append[1]) >= 1, `the entries go to both followers: ${summary}`);
    assert.match(summary, /entries\/frame/);
    assert.match(summary, /^total +\d+\.\d bytes per Submit/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--help lists scenarios; a bad flag or value is a readable error with exit code 2", () => {
  const help = bench(["--help"]);
  assert.is(help.status, 0);
  for (const s of SCENARIOS) assert.match(help.stdout, s.name);
  for (const args of [
    ["--bogus"],
    ["--clients", "0"],
    ["--scenario", "nope"],
    ["--mix", "1:2"],
    ["--duration", "x"],
    ["--reads", "fast"],
    ["--heartbeat", "50"],
    ["--heartbeat", "50", "--election-timeout", "300-150"],
    ["--heartbeat", "200", "--election-timeout", "150-300"],
    ["--node-flags=--heap-prof max-old-space-size=64"],
  ]) {
    const run = bench(args);
    assert.is(run.status, 2, `${args.join(" ")} exited ${run.status}`);
    assert.match(run.stderr, /^raftkit-bench: .+\nRun with --help/);
  }
});

test("the built program runs (what `pnpm bench` starts)", () => {
  const dist = new URL("../dist/main.js", import.meta.url).pathname;
  const out = execFileSync(process.execPath, [dist, "--help"], { encoding: "utf8" });
  assert.match(out, /^raftkit-bench/);
});

test.run();
