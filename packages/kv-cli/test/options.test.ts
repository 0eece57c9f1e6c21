import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCommand, UsageError } from "../src/options.js";

const peers = "127.0.0.1:7001,127.0.0.1:7002,[::1]:7003";

test("cli: serve, get, put, append and shell parse into commands", () => {
  assert.equal(parseCommand(["serve", "--id", "1", "--peers", peers, "--data", "/tmp/d"]), {
    kind: "serve",
    id: 1,
    data: "/tmp/d",
    maxRaftState: 1048576,
    sync: true,
    peers: ["127.0.0.1:7001", "127.0.0.1:7002", "[::1]:7003"],
    cluster: "raftkit",
    timeoutMs: 10000,
  });
  const put = parseCommand([
    "put",
    "k",
    "hello world",
    "--peers",
    peers,
    "--cluster",
    "c",
    "--timeout",
    "500",
  ]);
  assert.equal(put, {
    kind: "put",
    key: "k",
    value: "hello world",
    peers: put.kind === "put" ? put.peers : [],
    cluster: "c",
    timeoutMs: 500,
  });
  assert.is(parseCommand(["get", "k", "--peers", peers]).kind, "get");
  assert.is(parseCommand(["shell", "--peers", peers]).kind, "shell");
  for (const flag of [["--max-raft-state", "never"], ["--max-raft-state=-1"]]) {
    const never = parseCommand(["serve", "--id", "0", "--peers", peers, "--data", "d", ...flag, "--no-sync"]);
    assert.ok(never.kind === "serve" && never.maxRaftState === -1 && !never.sync);
  }
  assert.is(parseCommand([]).kind, "help");
  assert.is(parseCommand(["--help"]).kind, "help");
});

test("cli: bad flags and arguments are readable usage errors", () => {
  const cases: Array<[string[], RegExp]> = [
    [["get", "k"], /--peers is required/],
    [["get", "--peers", peers], /get takes <key>/],
    [["put", "k", "--peers", peers], /put takes <key> <value>/],
    [["serve", "--peers", peers, "--data", "d"], /--id needs a whole number/],
    [["serve", "--id", "3", "--peers", peers, "--data", "d"], /not an index into --peers \(0\.\.2\)/],
    [["serve", "--id", "0", "--peers", peers], /needs --data/],
    [["get", "k", "--peers", "localhost"], /"localhost" is not host:port/],
    [["get", "k", "--peers", peers, "--timeout", "soon"], /--timeout needs a whole number/],
    [["frobnicate", "--peers", peers], /unknown command "frobnicate"/],
    [["get", "k", "--peers", peers, "--bogus"], /bogus/],
  ];
  for (const [argv, message] of cases) {
    try {
      parseCommand(argv);
      assert.unreachable(`${argv.join(" ")} should be refused`);
    } catch (error) {
      assert.instance(error, UsageError, argv.join(" "));
      assert.match((error as Error).message, message);
    }
  }
});

test.run();
