import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCommand, UsageError } from "../src/options.js";

const peers = "127.0.0.1:7001,127.0.0.1:7002,[::1]:7003";
const common = {
  peers: ["127.0.0.1:7001", "127.0.0.1:7002", "[::1]:7003"],
  cluster: "raftkit",
  timeoutMs: 10000,
  maxMessageBytes: 64 * 1024 * 1024,
};

test("cli: serve parses into its options, with defaults", () => {
  assert.equal(parseCommand(["serve", "--id", "1", "--peers", peers, "--data", "/tmp/d"]), {
    kind: "serve",
    id: 1,
    data: "/tmp/d",
    maxRaftState: 1048576,
    sync: true,
    listen: undefined,
    http: undefined,
    join: false,
    reads: "log",
    requestTimeoutMs: 1000,
    heartbeatMs: 150,
    electionTimeoutMs: { min: 500, max: 1000 },
    logLevel: "info",
    logFormat: undefined,
    ...common,
  });
  const tuned = parseCommand([
    "serve",
    ...["--id", "0", "--peers", peers, "--data", "d", "--listen", "0.0.0.0:7001", "--http", "127.0.0.1:8001"],
    ...[
      "--reads",
      "read-index",
      "--request-timeout",
      "500",
      "--heartbeat",
      "50",
      "--election-timeout",
      "300-600",
    ],
    ...["--max-message-bytes", "1048576", "--log-level", "debug", "--log-format", "json", "--no-sync"],
  ]);
  assert.ok(tuned.kind === "serve");
  assert.equal(
    [
      tuned.listen,
      tuned.http,
      tuned.reads,
      tuned.requestTimeoutMs,
      tuned.heartbeatMs,
      tuned.electionTimeoutMs,
    ],
    ["0.0.0.0:7001", "127.0.0.1:8001", "read-index", 500, 50, { min: 300, max: 600 }],
  );
  assert.equal(
    [tuned.maxMessageBytes, tuned.logLevel, tuned.logFormat, tuned.sync],
    [1048576, "debug", "json", false],
  );
  for (const flag of [["--max-raft-state", "never"], ["--max-raft-state=-1"]]) {
    const never = parseCommand(["serve", "--id", "0", "--peers", peers, "--data", "d", ...flag]);
    assert.ok(never.kind === "serve" && never.maxRaftState === -1);
  }
});

test("cli: client commands, values from the command line, stdin or a file", () => {
  assert.equal(parseCommand(["get", "k", "--peers", peers]), { kind: "get", key: "k", ...common });
  assert.equal(parseCommand(["delete", "k", "--peers", peers, "--timeout", "500", "--cluster", "c"]), {
    kind: "delete",
    key: "k",
    ...common,
    timeoutMs: 500,
    cluster: "c",
  });
  const put = (...rest: string[]) => parseCommand(["put", "k", ...rest, "--peers", peers]);
  assert.equal(put("hello world"), {
    kind: "put",
    key: "k",
    value: { from: "argument", value: "hello world" },
    ...common,
  });
  assert.equal(put("-"), { kind: "put", key: "k", value: { from: "stdin" }, ...common });
  assert.equal(put("--file", "v.txt"), {
    kind: "put",
    key: "k",
    value: { from: "file", path: "v.txt" },
    ...common,
  });
  assert.equal(parseCommand(["append", "k", "", "--peers", peers]), {
    kind: "append",
    key: "k",
    value: { from: "argument", value: "" },
    ...common,
  });
  assert.equal(parseCommand(["status", "--peers", peers, "--json"]), {
    kind: "status",
    json: true,
    ...common,
  });
  assert.is(parseCommand(["shell", "--peers", peers]).kind, "shell");
});

test("cli: member commands and a joining member parse into their options", () => {
  assert.equal(parseCommand(["member", "list", "--peers", peers]), {
    kind: "member",
    action: "list",
    json: false,
    ...common,
  });
  assert.equal(parseCommand(["member", "add", "3", "127.0.0.1:7004", "--learner", "--peers", peers]), {
    kind: "member",
    action: "add",
    id: 3,
    address: "127.0.0.1:7004",
    learner: true,
    json: false,
    ...common,
  });
  assert.equal(parseCommand(["member", "remove", "0", "--peers", peers]), {
    kind: "member",
    action: "remove",
    id: 0,
    json: false,
    ...common,
  });
  const joining = parseCommand([
    "serve",
    "--join",
    "--id",
    "7",
    "--listen",
    "127.0.0.1:7007",
    "--peers",
    peers,
    "--data",
    "d",
  ]);
  assert.equal([joining.kind === "serve" && joining.join, joining.kind === "serve" && joining.id], [true, 7]);
});

test("cli: help, per-command help and version", () => {
  assert.equal(parseCommand([]), { kind: "help", topic: undefined });
  assert.equal(parseCommand(["--help"]), { kind: "help", topic: undefined });
  assert.equal(parseCommand(["get", "--help"]), { kind: "help", topic: "get" });
  assert.equal(parseCommand(["help", "serve"]), { kind: "help", topic: "serve" });
  assert.equal(parseCommand(["--version"]), { kind: "version" });
  assert.equal(parseCommand(["-V"]), { kind: "version" });
});

test("cli: bad flags and arguments are readable usage errors", () => {
  const cases: Array<[string[], RegExp]> = [
    [["get", "k"], /--peers is required/],
    [["get", "--peers", peers], /get takes <key>/],
    [["delete", "a", "b", "--peers", peers], /delete takes <key>/],
    [["put", "k", "--peers", peers], /the value is missing/],
    [["put", "k", "v", "--file", "f", "--peers", peers], /give the value once/],
    [["get", "k", "--file", "f", "--peers", peers], /--file is for put and append/],
    [["serve", "--peers", peers, "--data", "d"], /--id needs a whole number/],
    [["serve", "--id", "3", "--peers", peers, "--data", "d"], /not an index into --peers \(0\.\.2\)/],
    [["serve", "--id", "0", "--peers", peers], /needs --data/],
    [
      ["serve", "--id", "0", "--peers", peers, "--data", "d", "--reads", "fast"],
      /--reads must be one of log, read-index, lease/,
    ],
    [
      ["serve", "--id", "0", "--peers", peers, "--data", "d", "--election-timeout", "100-50"],
      /--election-timeout/,
    ],
    [["serve", "--id", "0", "--peers", peers, "--data", "d", "--listen", "nowhere"], /--listen: "nowhere"/],
    [["get", "k", "--peers", "localhost"], /"localhost" is not host:port/],
    [["get", "k", "--peers", peers, "--timeout", "soon"], /--timeout needs a whole number/],
    [["frobnicate", "--peers", peers], /unknown command "frobnicate"/],
    [["get", "k", "--peers", peers, "--bogus"], /bogus/],
    [
      ["serve", "--join", "--id", "1", "--listen", "127.0.0.1:7009", "--peers", peers, "--data", "d"],
      /ids are never reused/,
    ],
    [["serve", "--join", "--id", "5", "--peers", peers, "--data", "d"], /--join needs --listen/],
    [["member", "--peers", peers], /member needs an action/],
    [["member", "grow", "--peers", peers], /member must be one of list, add, promote, remove/],
    [["member", "add", "3", "--peers", peers], /member add takes <id> <host:port>/],
    [["member", "add", "x", "127.0.0.1:7004", "--peers", peers], /member add <id> needs a whole number/],
    [["member", "remove", "--peers", peers], /member remove takes <id>/],
    [["member", "remove", "1", "--learner", "--peers", peers], /--learner is for member add/],
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
