import { test } from "uvu";
import * as assert from "uvu/assert";
import { findEtcd, missingEtcd } from "../src/etcd/binary.js";
import { counterSum } from "../src/etcd/cluster.js";
import { parseOptions } from "../src/options.js";
import { compareWithYardsticks, formatComparisons } from "../src/report/comparison.js";
import { DEFAULT_SCENARIOS, findScenario, SCENARIOS, withEtcdCounterparts } from "../src/scenarios/index.js";
import type { ScenarioResult } from "../src/stats.js";

const row = (scenario: string, clients: number, opsPerSec: number, p50: number, stallMs?: number) =>
  ({
    scenario,
    transport: "tcp",
    servers: 3,
    clients,
    durationS: 1,
    ops: opsPerSec,
    opsPerSec,
    latencyMs: { p50, p90: p50 * 2, p99: p50 * 3, max: p50 * 4 },
    rpcs: opsPerSec,
    rpcsPerOp: 1,
    bytesPerOp: 100,
    runs: 1,
    spread: { opsPerSecMin: opsPerSec, opsPerSecMax: opsPerSec },
    ...(stallMs === undefined ? {} : { stallMs }),
  }) satisfies ScenarioResult;

test("the default suite needs no outside program; every etcd scenario names a raftkit scenario it measures", () => {
  assert.ok(DEFAULT_SCENARIOS.every((s) => !s.requires));
  const etcd = SCENARIOS.filter((s) => s.requires === "etcd");
  assert.equal(
    etcd.map((s) => s.name),
    ["etcd-tcp-3", "etcd-failover-tcp-3", "etcd-planned-stop-tcp-3"],
  );
  for (const s of etcd) {
    const ours = findScenario(s.counterpart!);
    assert.ok(ours && !ours.requires, `${s.name}'s counterpart ${s.counterpart} is a raftkit scenario`);
    assert.is(Boolean(ours.failover), Boolean(s.failover), `${s.name} and ${s.counterpart} kill alike`);
  }
});

test("--vs-etcd puts each scenario's yardstick right after it, and etcd-tcp-3 when none has one", () => {
  const names = (list: string[]) =>
    withEtcdCounterparts(list.map((n) => findScenario(n)!)).map((s) => s.name);
  assert.equal(names(["kvraft-tcp-3", "failover-tcp-3"]), [
    "kvraft-tcp-3",
    "etcd-tcp-3",
    "failover-tcp-3",
    "etcd-failover-tcp-3",
  ]);
  assert.equal(names(["kvsrv-labrpc"]), ["kvsrv-labrpc", "etcd-tcp-3"]);
  assert.equal(names(["etcd-tcp-3", "kvraft-tcp-3"]), ["etcd-tcp-3", "kvraft-tcp-3"]);
});

test("a raftkit row is compared with its yardstick's row at the same client count", () => {
  const results = [
    row("kvraft-tcp-3", 1, 2000, 0.5),
    row("kvraft-tcp-3", 8, 6000, 1),
    row("etcd-tcp-3", 1, 800, 1.25),
    row("failover-tcp-3", 8, 900, 3, 250),
    row("etcd-failover-tcp-3", 8, 300, 9, 1200),
  ];
  const scenarios = ["kvraft-tcp-3", "etcd-tcp-3", "failover-tcp-3", "etcd-failover-tcp-3"].map(
    (n) => findScenario(n)!,
  );
  const comparisons = compareWithYardsticks(scenarios, results);
  assert.equal(comparisons, [
    {
      scenario: "kvraft-tcp-3",
      yardstick: "etcd-tcp-3",
      clients: 1,
      opsRatio: 2.5,
      p50Ms: [0.5, 1.25],
      p99Ms: [1.5, 3.75],
    },
    {
      scenario: "failover-tcp-3",
      yardstick: "etcd-failover-tcp-3",
      clients: 8,
      opsRatio: 3,
      p50Ms: [3, 9],
      p99Ms: [9, 27],
      stallMs: [250, 1200],
    },
  ]);
  assert.is(
    formatComparisons(comparisons),
    "kvraft-tcp-3 vs etcd-tcp-3, 1 client: 2.50× the ops/s; p50 0.50 vs 1.25 ms, p99 1.50 vs 3.75 ms\n" +
      "failover-tcp-3 vs etcd-failover-tcp-3, 8 clients: 3.00× the ops/s; p50 3.00 vs 9.00 ms, p99 9.00 vs 27.0 ms; write stall 250 vs 1,200 ms",
  );
});

test("etcd's peer byte counter is summed over its labelled samples", () => {
  const page = [
    "# HELP etcd_network_peer_sent_bytes_total The total number of bytes sent to peers.",
    "# TYPE etcd_network_peer_sent_bytes_total counter",
    'etcd_network_peer_sent_bytes_total{To="4999ba532caeb48b"} 1906',
    'etcd_network_peer_sent_bytes_total{To="e285923851f2723f"} 2.015e+03',
    'etcd_network_peer_sent_failures_total{To="4999ba532caeb48b"} 7',
  ].join("\n");
  assert.is(counterSum(page, "etcd_network_peer_sent_bytes_total"), 3921);
  assert.is(counterSum(page, "nothing_total"), 0);
});

test("the etcd binary comes from RAFTKIT_ETCD or PATH; a missing one is explained", () => {
  assert.is(findEtcd({ PATH: "/nonexistent-dir" }), undefined);
  assert.is(findEtcd({ RAFTKIT_ETCD: "/nonexistent/etcd", PATH: "/usr/bin:/bin" }), undefined);
  assert.is(findEtcd({ RAFTKIT_ETCD: process.execPath }), process.execPath);
  assert.match(missingEtcd({ PATH: "" }), "there is no etcd on PATH; install etcd or set RAFTKIT_ETCD");
  assert.match(missingEtcd({ RAFTKIT_ETCD: "/x/etcd" }), "RAFTKIT_ETCD=/x/etcd is not an executable file");
});

test("--heartbeat and --election-timeout set the timing of every deployment; without them, each system's own", () => {
  assert.is(parseOptions([]).timing, undefined);
  assert.equal(parseOptions(["--heartbeat", "50", "--election-timeout", "150-300"]).timing, {
    heartbeatMs: 50,
    electionTimeoutMs: { min: 150, max: 300 },
  });
  assert.throws(
    () => parseOptions(["--election-timeout", "150-300"]),
    /go together with heartbeat < min < max/,
  );
});

test.run();
