import { Network, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KV_METHODS, KV_OPEN_SESSION, KV_SERVER_METHODS, KvServer, kvServiceHandlers } from "../src/index.js";
import { serverTransport } from "./helpers/labrpc-transport.js";

test(
  "bad requests over labrpc get typed malformed replies, and the server keeps serving",
  simTest(async (sim) => {
    const net = new Network({ clock: sim, random: sim.random });
    const server = new KvServer().listen(serverTransport(net, 0));
    const end = net.makeEnd("client");
    net.connect("client", 0);
    net.enable("client", true);
    const bad: [string, unknown, string][] = [
      [KV_METHODS.get, "k", ""],
      [KV_METHODS.get, [], ""],
      [KV_METHODS.get, {}, "key"],
      [KV_METHODS.get, { key: "k", seq: 3 }, "clientId"],
      [KV_METHODS.put, { key: "k", value: 5, clientId: "c", seq: 1 }, "value"],
      [KV_METHODS.put, { key: "k", value: "v", clientId: "c" }, "seq"],
      [KV_METHODS.append, { key: null, value: "v", clientId: "c", seq: 1 }, "key"],
      [KV_METHODS.append, { key: "k", value: "v", clientId: 17, seq: 1 }, "clientId"],
      [KV_METHODS.append, { key: "k", value: "v", clientId: "c", seq: -2 }, "seq"],
      [KV_METHODS.append, null, ""],
    ];
    for (const [method, args, field] of bad) {
      const result = await end.call(method, args);
      assert.ok(result.ok);
      const reply = result.reply as { status: string; field: string; expected: string; message: string };
      assert.is(reply.status, "malformed", `${method} ${JSON.stringify(args)}`);
      assert.is(reply.field, field, `${method} ${JSON.stringify(args)}`);
      assert.type(reply.expected, "string");
      assert.match(reply.message, /malformed command/);
    }
    assert.is(server.stateMachine.keyCount, 0);
    assert.equal(await end.call(KV_OPEN_SESSION, { clientId: "c" }), { ok: true, reply: { status: "ok" } });
    const put = await end.call(KV_METHODS.put, { key: "k", value: "v", clientId: "c", seq: 1 });
    assert.equal(put, { ok: true, reply: { status: "ok" } });
    const get = await end.call(KV_METHODS.get, { key: "k" });
    assert.equal(get, { ok: true, reply: { status: "ok", value: "v" } });
    net.cleanup();
  }),
);

test("an unknown method gets an unknown-method reply listing the methods", () => {
  const reply = new KvServer().handle("KVServer.Frobnicate", { key: "k" });
  assert.equal(reply, {
    status: "unknown-method",
    method: "KVServer.Frobnicate",
    methods: KV_SERVER_METHODS,
  });
});

test("extra fields in a request are ignored, not stored", () => {
  const server = new KvServer();
  server.handle(KV_OPEN_SESSION, { clientId: "c" });
  server.handle(KV_METHODS.put, { key: "k", value: "v", clientId: "c", seq: 1, op: "get", evil: { x: 1 } });
  assert.is(server.stateMachine.read("k"), "v");
});

test("kvServiceHandlers maps OpenSession/Get/Put/Append to the server", () => {
  const server = new KvServer();
  const handlers = kvServiceHandlers(server);
  assert.equal(handlers.OpenSession({ clientId: "c" }), { status: "ok" });
  assert.equal(handlers.Put({ key: "k", value: "a", clientId: "c", seq: 1 }), { status: "ok" });
  assert.equal(handlers.Append({ key: "k", value: "b", clientId: "c", seq: 2 }), {
    status: "ok",
    value: "a",
  });
  assert.equal(handlers.Get({ key: "k" }), { status: "ok", value: "ab" });
});

// ---- sessions: the service layer's SessionTable decides every retry ----------------------

const open = (server: KvServer, clientId: string) => server.handle(KV_OPEN_SESSION, { clientId });
const write = (
  server: KvServer,
  op: "put" | "append" | "delete",
  key: string,
  clientId: string,
  seq: number,
  value = "",
) => server.handle(KV_METHODS[op], { key, value, clientId, seq });

test("a retried Put, Append or Delete executes once and gets the first answer again", () => {
  const server = new KvServer();
  open(server, "a");
  assert.equal(write(server, "put", "k", "a", 1, "x"), { status: "ok" });
  assert.equal(write(server, "append", "k", "a", 2, "y"), { status: "ok", value: "x" });
  assert.equal(write(server, "append", "k", "a", 2, "y"), { status: "ok", value: "x" }, "the retry");
  assert.is(server.stateMachine.read("k"), "xy");
  assert.equal(write(server, "delete", "k", "a", 3), { status: "ok" });
  open(server, "b");
  write(server, "put", "k", "b", 1, "w");
  assert.equal(write(server, "delete", "k", "a", 3), { status: "ok" }, "the Delete's retry");
  assert.is(server.stateMachine.read("k"), "w", "the retried Delete executed nothing");
});

test("a request older than the client's newest is superseded and not executed", () => {
  const server = new KvServer();
  open(server, "a");
  write(server, "append", "k", "a", 1, "1");
  write(server, "append", "k", "a", 2, "2");
  assert.equal(write(server, "append", "k", "a", 1, "1"), { status: "superseded" });
  assert.equal(write(server, "put", "k", "a", 1, "old"), { status: "superseded" });
  assert.is(server.stateMachine.read("k"), "12");
});

test("a write without an open session is refused session-expired and not executed", () => {
  const server = new KvServer();
  assert.equal(write(server, "put", "k", "nobody", 1, "v"), { status: "session-expired" });
  assert.is(server.stateMachine.keyCount, 0);
});

test("Gets keep no per-client state; a client's Get drops its own cached Append reply, nobody else's", () => {
  const server = new KvServer();
  for (let i = 0; i < 100; i++) server.handle(KV_METHODS.get, { key: "k", clientId: `c${i}`, seq: 1 });
  assert.is(server.sessionCount, 0);
  open(server, "a");
  write(server, "append", "k", "a", 1, "x");
  server.handle(KV_METHODS.get, { key: "k", clientId: "b", seq: 9 });
  assert.equal(
    write(server, "append", "k", "a", 1, "x"),
    { status: "ok", value: "" },
    "b's Get kept a's reply",
  );
  server.handle(KV_METHODS.get, { key: "k", clientId: "a", seq: 2 });
  assert.equal(write(server, "append", "k", "a", 1, "x"), { status: "superseded" }, "a moved on");
  assert.equal(write(server, "append", "k", "a", 3, "y"), { status: "ok", value: "x" });
  assert.is(server.stateMachine.read("k"), "xy");
});

test("sessions are bounded: opening one more than maxSessions evicts the least recently used", () => {
  const server = new KvServer({ maxSessions: 2 });
  open(server, "a");
  open(server, "b");
  write(server, "put", "k", "a", 1, "a1");
  open(server, "c");
  assert.is(server.sessionCount, 2);
  assert.equal(write(server, "put", "k", "b", 1, "b1"), { status: "session-expired" }, "b was the oldest");
  assert.equal(write(server, "put", "k", "a", 2, "a2"), { status: "ok" });
  assert.throws(() => new KvServer({ maxSessions: 0 }), /maxSessions must be an integer >= 1, got 0/);
});

test.run();
