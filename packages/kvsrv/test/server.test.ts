import { Network, simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KV_METHODS, KvServer, kvServiceHandlers } from "../src/index.js";
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
    methods: Object.values(KV_METHODS),
  });
});

test("extra fields in a request are ignored, not stored", () => {
  const server = new KvServer();
  server.handle(KV_METHODS.put, { key: "k", value: "v", clientId: "c", seq: 1, op: "get", evil: { x: 1 } });
  assert.is(server.stateMachine.read("k"), "v");
});

test("kvServiceHandlers maps Get/Put/Append to the server", () => {
  const server = new KvServer();
  const handlers = kvServiceHandlers(server);
  assert.equal(handlers.Put({ key: "k", value: "a", clientId: "c", seq: 1 }), { status: "ok" });
  assert.equal(handlers.Append({ key: "k", value: "b", clientId: "c", seq: 2 }), {
    status: "ok",
    value: "a",
  });
  assert.equal(handlers.Get({ key: "k" }), { status: "ok", value: "ab" });
});

test.run();
