import { test } from "uvu";
import * as assert from "uvu/assert";
import { captureLog, sleep, startCluster } from "./helpers.js";
import { cbor, hello, rawConnect, rawFrame, rawRequest } from "./raw-client.js";

/** [0, 1, "X", {"__proto__": {"polluted": true}}] (a call), written by hand: encoders will not produce it. */
const protoMap = Buffer.concat([
  Buffer.from([0x84]), // array of 4
  cbor(0),
  cbor(1),
  cbor("X"),
  Buffer.from([0xa1, 0x69]), // map of 1, then a 9-byte text key
  Buffer.from("__proto__"),
  Buffer.from([0xa1, 0x68]), // map of 1, then an 8-byte text key
  Buffer.from("polluted"),
  Buffer.from([0xf5]), // true
]);

const cases: Array<{ name: string; bytes: Buffer; greet: boolean; expect: RegExp }> = [
  {
    name: "a frame over the size limit",
    bytes: Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]),
    greet: true,
    expect: /over the limit/,
  },
  { name: "an empty frame", bytes: Buffer.from([0, 0, 0, 0]), greet: true, expect: /empty frame/ },
  {
    name: "garbage that is not CBOR",
    bytes: rawFrame(Buffer.from([0xff, 0xfe, 0x1c, 0x00])),
    greet: true,
    expect: /not CBOR|shape/,
  },
  {
    name: "a valid frame of the wrong shape",
    bytes: rawRequest("x", "X", 1),
    greet: true,
    expect: /bad message shape/,
  },
  {
    name: "a map that is no handshake message",
    bytes: rawFrame(cbor({ t: "req", id: 1, method: "X", args: 1 })),
    greet: true,
    expect: /bad message shape/,
  },
  {
    name: "a CBOR number instead of an array or a map",
    bytes: rawFrame(cbor(7)),
    greet: true,
    expect: /must hold an array or a map/,
  },
  {
    name: "a call of a method id no codec has",
    bytes: rawRequest(1, 99, [1]),
    greet: true,
    expect: /unknown method id 99/,
  },
  { name: "a map with a __proto__ key", bytes: rawFrame(protoMap), greet: true, expect: /__proto__ key/ },
  {
    name: "a request before the hello",
    bytes: rawRequest(1, "X", 1),
    greet: false,
    expect: /unexpected "req"/,
  },
];

for (const c of cases) {
  test(`hostile bytes: ${c.name} closes that connection with a logged error; others are served`, async () => {
    const { log, lines } = captureLog();
    const { nodes, addresses, close } = await startCluster(2, { log });
    let served = 0;
    nodes[1]!.listen(() => {
      served++;
      return "ok";
    });
    try {
      assert.equal(await nodes[0]!.call(1, "Before", null), { ok: true, reply: "ok" });
      const port = Number(addresses[1]!.split(":")[1]);
      const raw = await rawConnect(port);
      if (c.greet) raw.socket.write(hello(1));
      raw.socket.write(c.bytes);
      await raw.closed;
      assert.ok(
        lines.some((l) => l.level === "error" && c.expect.test(l.message)),
        `log: ${JSON.stringify(lines)}`,
      );
      assert.equal(await nodes[0]!.call(1, "After", null), { ok: true, reply: "ok" });
      assert.is(served, 2, "the hostile request never reached the handler");
      assert.is(({} as Record<string, unknown>).polluted, undefined, "Object.prototype untouched");
    } finally {
      await close();
    }
  });
}

test("hostile bytes: a truncated frame then a hang-up is dropped quietly; nothing is served", async () => {
  const { nodes, addresses, close } = await startCluster(2);
  let served = 0;
  nodes[1]!.listen(() => {
    served++;
    return "ok";
  });
  try {
    const raw = await rawConnect(Number(addresses[1]!.split(":")[1]));
    raw.socket.write(hello(1));
    const whole = rawRequest(1, "X", "y".repeat(100));
    raw.socket.end(whole.subarray(0, whole.length - 10));
    await raw.closed;
    await sleep(20);
    assert.is(served, 0);
    assert.equal(await nodes[0]!.call(1, "After", null), { ok: true, reply: "ok" });
  } finally {
    await close();
  }
});

test("hostile bytes: a silent connection is closed after the handshake timeout", async () => {
  const { log, lines } = captureLog();
  const { addresses, close } = await startCluster(2, { log, connectTimeoutMs: 100 });
  try {
    const raw = await rawConnect(Number(addresses[1]!.split(":")[1]));
    await raw.closed;
    assert.ok(lines.some((l) => /no hello within 100 ms/.test(l.message)));
  } finally {
    await close();
  }
});

test.run();
