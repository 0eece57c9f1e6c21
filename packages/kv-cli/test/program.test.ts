import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CLI, ProcessCluster } from "./helpers/process-cluster.js";
import { kv } from "./helpers/run-kv.js";

// raftkit-kv as a user runs it: three `serve` processes on 127.0.0.1 with --http, and the client
// commands as processes. Real time and sockets; every wait is bounded.

const root = mkdtempSync(join(tmpdir(), "raftkit-program-"));
let cluster: ProcessCluster;
let peers: string;
let http: string[];

test.before(async () => {
  const ports = await freePorts(6);
  const members = ports.slice(0, 3).map((p) => `127.0.0.1:${p}`);
  http = ports.slice(3).map((p) => `127.0.0.1:${p}`);
  peers = members.join(",");
  cluster = new ProcessCluster(
    members,
    (i) => join(root, `m${i}`),
    (i) => ["--http", http[i]!],
  );
  for (let i = 0; i < 3; i++) cluster.start(i);
  await cluster.leader();
});

test.after(async () => {
  await cluster.stopAll();
  rmSync(root, { recursive: true, force: true });
});

test("put, append, get, delete; a missing key exits 3, an empty value exits 0; values from stdin and files", async () => {
  assert.equal(await kv(["put", "k", "hello", "--peers", peers]).then((r) => [r.code, r.stdout]), [
    0,
    "OK\n",
  ]);
  assert.is((await kv(["append", "k", ", world", "--peers", peers])).code, 0);
  assert.equal(await kv(["get", "k", "--peers", peers]).then((r) => [r.code, r.stdout]), [
    0,
    "hello, world\n",
  ]);
  assert.is((await kv(["delete", "k", "--peers", peers])).code, 0);
  const missing = await kv(["get", "k", "--peers", peers]);
  assert.equal([missing.code, missing.stdout, missing.stderr], [3, "", 'raftkit-kv: no such key: "k"\n']);
  assert.is((await kv(["put", "empty", "", "--peers", peers])).code, 0);
  assert.equal(await kv(["get", "empty", "--peers", peers]).then((r) => [r.code, r.stdout]), [0, "\n"]);

  const text = "line one\nline two with  spaces\n";
  assert.is((await kv(["put", "piped", "-", "--peers", peers], { stdin: text })).code, 0);
  assert.is((await kv(["get", "piped", "--peers", peers])).stdout, `${text}\n`);
  const file = join(root, "value.txt");
  writeFileSync(file, "from a file ✓");
  assert.is((await kv(["append", "piped", "--file", file, "--peers", peers])).code, 0);
  assert.is((await kv(["get", "piped", "--peers", peers])).stdout, `${text}from a file ✓\n`);
});

test("--version, --help per command, and usage errors exit 2", async () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  assert.equal(await kv(["--version"]).then((r) => [r.code, r.stdout]), [0, `raftkit-kv ${pkg.version}\n`]);
  const help = await kv(["delete", "--help"]);
  assert.equal([help.code, help.stdout.split("\n")[0]], [0, "raftkit-kv delete: remove a key"]);
  const bad = await kv(["get", "--peers", peers]);
  assert.equal(
    [bad.code, bad.stderr],
    [2, "raftkit-kv: get takes <key>\nRun raftkit-kv --help for usage.\n"],
  );
});

test("the shell prompts nothing without a terminal, runs each line, and exits 1 if a command failed", async () => {
  const ok = await kv(["shell", "--peers", peers], {
    stdin: "put s a b c\nappend s !\nget s\nget nothing\n",
  });
  assert.equal([ok.code, ok.stdout], [0, "OK\nOK\na b c!\n(no such key)\n"]);
  const failing = await kv(["shell", "--peers", peers], { stdin: "get s\nfrobnicate\nput s\n" });
  assert.is(failing.code, 1);
  assert.is(failing.stdout, "a b c!\n");
  assert.match(failing.stderr, 'error: unknown command "frobnicate"');
  assert.match(failing.stderr, "error: put needs <key> <value>");
});

test("status prints one row per member with exactly one leader; --json gives the same rows", async () => {
  const table = await kv(["status", "--peers", peers]);
  assert.is(table.code, 0, table.stderr);
  const [header, ...rows] = table.stdout.trimEnd().split("\n");
  assert.equal(header!.split(/\s{2,}/), [
    "MEMBER",
    "ADDRESS",
    "ROLE",
    "TERM",
    "COMMIT",
    "APPLIED",
    "LAG",
    "LAST CONTACT",
  ]);
  assert.is(rows.length, 3);
  for (const [i, row] of rows.entries())
    assert.match(row, new RegExp(`^${i}\\s+127\\.0\\.0\\.1:\\d+\\s+(leader|follower)\\s+\\d+`));
  assert.is(rows.filter((r) => /\sleader\s/.test(r)).length, 1);
  const json = JSON.parse((await kv(["status", "--peers", peers, "--json"])).stdout) as Array<
    Record<string, unknown>
  >;
  assert.equal(
    json.map((r) => Object.keys(r)),
    json.map(() => [
      "member",
      "address",
      "role",
      "learner",
      "term",
      "commit",
      "applied",
      "lag",
      "lastContactMs",
      "problem",
    ]),
  );
  assert.ok(
    json.every((r) => typeof r.commit === "number" && typeof r.applied === "number" && r.problem === null),
  );
});

test("the README's curl examples print what the README shows, against any member", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /<!-- http-example[^>]*-->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  const expected = /prints \(with[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block && expected, "the README has the example and its output");
  for (const address of [http[0]!, http[2]!]) {
    const output = await new Promise<string>((resolve, reject) => {
      const shell = spawn("bash", ["-e", "-c", block], {
        env: { ...process.env, HTTP: `http://${address}` },
      });
      let out = "";
      shell.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      shell.once("exit", (code) =>
        code === 0 ? resolve(out) : reject(new Error(`curl examples exited ${code}`)),
      );
    });
    assert.is(output, expected);
  }
});

test("the HTTP endpoint: metrics and health", async () => {
  const metrics = await (await fetch(`http://${http[0]}/metrics`)).text(); // served the README's requests
  for (const name of [
    "raftkit_kv_term",
    "raftkit_kv_is_leader",
    "raftkit_kv_applied_index",
    "raftkit_kv_http_requests_total",
  ])
    assert.match(metrics, new RegExp(`^${name}`, "m"));
  const health = await fetch(`http://${http[1]}/healthz`);
  assert.is(health.status, 200);
  assert.is(((await health.json()) as { status: string }).status, "ok");
  const error = async (path: string, init: RequestInit) => {
    const response = await fetch(`http://${http[1]}${path}`, init);
    return [response.status, ((await response.json()) as { error: string }).error];
  };
  assert.equal(await error("/v1/keys/big", { method: "PUT", body: "x".repeat(65 * 1024 * 1024) }), [
    413,
    "value_too_large",
  ]);
  assert.equal(await error("/v1/keys/k", { method: "PATCH" }), [405, "method_not_allowed"]);
  assert.equal(await error("/v2/nothing", { method: "GET" }), [404, "not_found"]);
  const json = { method: "PUT", headers: { "content-type": "application/json" }, body: '{"value": 1}' };
  assert.equal(await error("/v1/keys/k", json), [400, "bad_request"]);
});

test("a member whose --peers disagrees with the cluster logs errors, and so does the member it calls", async () => {
  // A fourth process claims id 0 with members 0 and 1 swapped in its list (it binds elsewhere):
  // member 0 is then called as member 1, refuses, and both sides log an error.
  const [a, b, c] = peers.split(",");
  const [own] = await freePorts(1);
  const stray = spawn(
    process.execPath,
    [
      CLI,
      "serve",
      "--id",
      "0",
      "--peers",
      [b, a, c].join(","),
      "--listen",
      `127.0.0.1:${own}`,
      "--data",
      join(root, "stray"),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let strayLog = "";
  stray.stderr.on("data", (chunk: Buffer) => (strayLog += chunk.toString()));
  try {
    const deadline = performance.now() + 15_000;
    const refusedHere = () => /"level":50.*this is node 0, not node 1/.test(strayLog);
    const refusedThere = () =>
      cluster.logOf(0).some((l) => /"level":50.*refused \\"0\\".*this is node 0, not node 1/.test(l));
    while (!(refusedHere() && refusedThere()) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(refusedHere(), `the stray member logs the refusal as an error:\n${strayLog}`);
    assert.ok(refusedThere(), `member 0 logs the refusal as an error:\n${cluster.logOf(0).join("\n")}`);
  } finally {
    stray.kill("SIGKILL");
  }
});

const diagnosed = async (args: string[], message: RegExp | string) => {
  // A generous --timeout: the error must come from the diagnosis, not from giving up.
  const run = await kv([...args, "--timeout", "20000"]);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, message);
  assert.ok(run.ms < 15_000, `named after ${run.ms} ms, not before the 20 s timeout`);
  return run;
};

test("errors say what is wrong: wrong cluster name, value too large; members listed in another order are found where they are", async () => {
  await diagnosed(
    ["get", "k", "--peers", peers, "--cluster", "prod"],
    /wrong cluster name: the members refused "prod"\n {2}member 0 at .*: refused us: cluster "prod" is not "raftkit"/,
  );
  // The leader and a follower swapped: each refuses the id it is called by and says which member
  // it is, and the client goes on with that member's id, without a warning.
  const swapped = peers.split(",");
  const leader = await cluster.leader();
  const other = (leader + 1) % 3;
  [swapped[leader], swapped[other]] = [swapped[other]!, swapped[leader]!];
  const put = await kv(["put", "swapped", "v", "--peers", swapped.join(",")]);
  assert.is(put.code, 0, put.stderr);
  assert.not.match(put.stderr, "warning");
  const got = await kv(["get", "swapped", "--peers", swapped.join(",")]);
  assert.equal([got.code, got.stdout], [0, "v\n"], got.stderr);

  const big = join(root, "big.txt");
  writeFileSync(big, "x".repeat(2_000_000));
  await diagnosed(
    ["put", "big", "--file", big, "--peers", peers, "--max-message-bytes", "1048576"],
    /value too large: 1\.9 MiB \(2000\d+ bytes\) is over the limit of 1\.0 MiB/,
  );
});

test("a request that succeeds while --peers lists a follower at a wrong address still warns about it", async () => {
  const real = peers.split(",");
  const [free] = await freePorts(1);
  const leading = await cluster.leader();
  const follower = [0, 1, 2].find((i) => i !== leading)!;
  const list = real.map((address, i) => (i === follower ? `127.0.0.1:${free}` : address));
  const run = await kv(["put", "warned", "v", "--peers", list.join(",")]);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, "raftkit-kv: warning: --peers disagrees with the cluster:");
  assert.match(
    run.stderr,
    new RegExp(
      `--peers lists member ${follower} at 127\\.0\\.0\\.1:${free} \\(connection refused\\), but member \\d lists it at ${real[follower]!.replaceAll(".", "\\.")}`,
    ),
  );
  const clean = await kv(["get", "warned", "--peers", peers]);
  assert.is(clean.stdout, "v\n");
  assert.not.match(clean.stderr, "warning");
});

test("errors say what is wrong: connection refused everywhere, then no quorum with one member left", async () => {
  const nowhere = (await freePorts(3)).map((p) => `127.0.0.1:${p}`).join(",");
  await diagnosed(
    ["get", "k", "--peers", nowhere],
    /no quorum: 0 of 3 members reachable, 2 needed\n {2}member 0 at [\d.:]+: connection refused/,
  );
  // Two members listed at wrong addresses: the follower that answers says where they are, and
  // the client goes on with the addresses the cluster knows, warning about its list.
  const real = peers.split(",");
  const wrong = nowhere.split(",");
  const leading = await cluster.leader();
  const follower = [0, 1, 2].find((i) => i !== leading)!;
  const list = [0, 1, 2].map((i) => (i === follower ? real[i]! : wrong[i]!));
  const misplaced = await kv(["get", "k", "--peers", list.join(",")]);
  assert.is(misplaced.code, 3, misplaced.stderr);
  assert.match(misplaced.stderr, "raftkit-kv: warning: --peers disagrees with the cluster:");
  for (const i of [0, 1, 2].filter((i) => i !== follower)) {
    const line = `--peers lists member ${i} at ${wrong[i]} (connection refused), but member ${follower} lists it at ${real[i]}`;
    assert.match(misplaced.stderr, line);
  }
  const leader = await cluster.leader();
  const others = [0, 1, 2].filter((i) => i !== leader);
  for (const i of others) await cluster.kill9(i);
  const run = await diagnosed(
    ["get", "k", "--peers", peers],
    /no quorum: 1 of 3 members reachable, 2 needed/,
  );
  for (const i of others)
    assert.match(run.stderr, `member ${i} at ${peers.split(",")[i]}: connection refused`);
  // The survivor's HTTP API says so too (503 no_quorum, not the 503 "unavailable" of its timeout).
  const http503 = await fetch(`http://${http[leader]}/v1/keys/k`);
  const body = (await http503.json()) as { error: string; message: string };
  assert.equal([http503.status, body.error], [503, "no_quorum"], body.message);
  for (const i of others)
    assert.match(body.message, `member ${i} at ${peers.split(",")[i]}: connection refused`);
  const status = await kv(["status", "--peers", peers]);
  assert.is(status.code, 1);
  assert.match(status.stdout, /unreachable/);
  assert.match(status.stderr, "no quorum: 1 of 3 members reachable");
});

test.run();
