import { SeededRandom, withSeed } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { captureLog, startCluster } from "./helpers.js";
import { cbor, hello, rawConnect, rawFrame, rawRequest } from "./raw-client.js";

/** A valid frame to start mutating from: a hello, a request, or a response. */
function seedFrame(random: SeededRandom): Buffer {
  switch (random.int(3)) {
    case 0:
      return hello(1);
    case 1:
      return rawRequest(random.int(1000), "Echo", { n: random.int(100), s: "x" });
    default:
      return rawFrame(cbor([1, random.int(1000), [1, 2, 3]]));
  }
}

/** Random bytes, or a valid frame with a few bytes flipped, cut short, or given a bad length. */
function hostileChunk(random: SeededRandom): Buffer {
  const kind = random.int(4);
  if (kind === 0) return Buffer.from(Array.from({ length: 1 + random.int(64) }, () => random.int(256)));
  const frame = seedFrame(random);
  if (kind === 1) {
    for (let flips = 1 + random.int(4); flips > 0; flips--) frame[random.int(frame.length)] = random.int(256);
    return frame;
  }
  if (kind === 2) return frame.subarray(0, random.int(frame.length));
  frame.writeUInt32BE(random.int(2 ** 32), 0);
  return frame;
}

test("fuzz: thousands of random and mutated frames crash nothing; a legitimate peer is served throughout", () =>
  withSeed(async (seed) => {
    const random = new SeededRandom(seed);
    const { log, lines } = captureLog();
    // The legitimate link keeps the default connect timeout: with 200 ms, node 1 busy with the
    // hostile connections on a loaded machine failed the legitimate first call (CI, load ~25).
    const { nodes, addresses, close } = await startCluster(2, { log });
    let echoed = 0;
    nodes[1]!.listen((_method, args) => {
      echoed++;
      return args;
    });
    const port = Number(addresses[1]!.split(":")[1]);
    let sent = 0;
    let stop = false;
    // The legitimate peer's loop never throws: it stops at the first wrong answer and the test
    // body asserts on it (a throw out here would be an unhandled rejection, not a failed test).
    const legit = (async () => {
      let calls = 0;
      while (!stop) {
        const r = await nodes[0]!.call(1, "Echo", { calls });
        if (!r.ok || (r.reply as { calls?: unknown } | null)?.calls !== calls) return { calls, wrong: r };
        calls++;
      }
      return { calls, wrong: undefined };
    })();
    try {
      for (let c = 0; c < 100; c++) {
        const raw = await rawConnect(port);
        if (random.int(2) === 0) raw.socket.write(hello(1));
        for (let i = 0; i < 40 && !raw.socket.destroyed; i++) {
          raw.socket.write(hostileChunk(random));
          sent++;
        }
        raw.socket.end();
        await raw.closed;
      }
    } finally {
      stop = true;
      await legit;
      await close();
    }
    const { calls, wrong } = await legit;
    assert.equal(wrong, undefined, `the legitimate peer must always be answered (call ${calls})`);
    assert.ok(sent >= 2000, `only ${sent} hostile chunks were sent`);
    assert.ok(calls > 10, `only ${calls} legitimate calls completed`);
    assert.ok(echoed >= calls);
    assert.ok(
      lines.some((l) => l.level === "error"),
      "hostile input is logged",
    );
  }));

test.run();
