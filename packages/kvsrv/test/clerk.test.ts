import { type Simulation, simTest } from "@raftkit/labrpc";
import type { CallResult, Transport } from "@raftkit/raft";
import { ServiceProtocolError, SessionExpiredError, SupersededError } from "@raftkit/service";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Clerk, KvServer, MalformedCommandError } from "../src/index.js";

type Call = Transport["call"];

/** A transport to an in-process server that fails the first `failures` calls after a delay. */
function flakyTransport(sim: Simulation, server: KvServer, failures: number) {
  const log = { calls: 0, outstanding: 0, maxOutstanding: 0 };
  const call: Call = async (_to, method, args) => {
    log.calls++;
    log.outstanding++;
    log.maxOutstanding = Math.max(log.maxOutstanding, log.outstanding);
    await sim.sleep(1 + sim.random.int(5));
    log.outstanding--;
    if (log.calls <= failures) return { ok: false };
    return { ok: true, reply: server.handle(method, structuredClone(args)) };
  };
  return { transport: { call }, log };
}

test(
  "operations retry until they succeed, pausing on the injected clock",
  simTest(async (sim) => {
    const server = new KvServer();
    const { transport, log } = flakyTransport(sim, server, 5);
    const ck = new Clerk(transport, { clock: sim, random: sim.random, retryDelayMs: 100 });
    const t0 = sim.now();
    await ck.put("k", "v");
    assert.is(log.calls, 7, "five failures, then the session opened, then the Put");
    assert.ok(sim.now() - t0 >= 5 * 50, `retries paused (${sim.now() - t0} ms)`);
    assert.is(await ck.get("k"), "v");
  }),
);

test(
  'delete removes a key; lookup tells a missing key from an empty value, get says "" for both',
  simTest(async (sim) => {
    const server = new KvServer();
    const { transport } = flakyTransport(sim, server, 2);
    const ck = new Clerk(transport, { clock: sim, random: sim.random });
    await ck.put("k", "v");
    await ck.put("empty", "");
    await ck.delete("k");
    assert.is(await ck.lookup("k"), undefined);
    assert.is(await ck.lookup("empty"), "");
    assert.is(await ck.get("k"), "");
    assert.is(server.stateMachine.keyCount, 1);
  }),
);

test(
  "calls on one clerk run one at a time, in call order",
  simTest(async (sim) => {
    const server = new KvServer();
    const { transport, log } = flakyTransport(sim, server, 3);
    const ck = new Clerk(transport, { clock: sim, random: sim.random });
    const results = await Promise.all([
      ck.put("k", "a"),
      ck.append("k", "b"),
      ck.get("k"),
      ck.append("k", "c"),
      ck.get("k"),
    ]);
    assert.equal(results, [undefined, "a", "ab", "ab", "abc"]);
    assert.is(log.maxOutstanding, 1);
  }),
);

test(
  "a retried Append whose reply was lost is executed once",
  simTest(async (sim) => {
    const server = new KvServer();
    let drops = 3;
    const transport = {
      call: async (_to: number, method: string, args: unknown): Promise<CallResult<unknown>> => {
        await sim.sleep(1);
        const reply = server.handle(method, structuredClone(args));
        if (drops-- > 0) return { ok: false }; // executed, reply lost
        return { ok: true, reply };
      },
    };
    const ck = new Clerk(transport, { clock: sim, random: sim.random });
    assert.is(await ck.append("k", "x"), "");
    assert.is(await ck.append("k", "y"), "x");
    assert.is(await ck.get("k"), "xy");
  }),
);

test(
  "an AbortSignal gives up a call that cannot succeed; the clerk carries on",
  simTest(async (sim) => {
    const server = new KvServer();
    let down = true;
    const transport = {
      call: async (_to: number, method: string, args: unknown): Promise<CallResult<unknown>> => {
        await sim.sleep(5);
        return down ? { ok: false } : { ok: true, reply: server.handle(method, structuredClone(args)) };
      },
    };
    const ck = new Clerk(transport, { clock: sim, random: sim.random });
    const controller = new AbortController();
    sim.setTimer(200, () => controller.abort(new Error("gave up")));
    const t0 = sim.now();
    await ck.put("k", "v", { signal: controller.signal }).then(
      () => assert.unreachable("should abort"),
      (error: unknown) => assert.is((error as Error).message, "gave up"),
    );
    assert.ok(sim.now() - t0 < 220, "aborted promptly");
    await ck.get("k", { signal: controller.signal }).then(
      () => assert.unreachable("already aborted"),
      (error: unknown) => assert.is((error as Error).message, "gave up"),
    );
    down = false;
    await ck.put("k", "w");
    assert.is(await ck.get("k"), "w");
  }),
);

test(
  "an abort ends a call stuck in the transport",
  simTest(async (sim) => {
    const never = { call: () => new Promise<CallResult<unknown>>(() => {}) };
    const ck = new Clerk(never, { clock: sim, random: sim.random });
    const controller = new AbortController();
    sim.setTimer(50, () => controller.abort());
    await ck.get("k", { signal: controller.signal }).then(
      () => assert.unreachable("should abort"),
      (error: unknown) => assert.is((error as Error).name, "AbortError"),
    );
    assert.is(sim.now(), 50);
  }),
);

test(
  "an abort rejects an operation still queued behind another, which then sends nothing",
  simTest(async (sim) => {
    const server = new KvServer();
    const { transport, log } = flakyTransport(sim, server, 0);
    const ck = new Clerk(transport, { clock: sim, random: sim.random });
    const controller = new AbortController();
    const first = ck.append("k", "a");
    const second = ck.append("k", "b", { signal: controller.signal });
    const third = ck.append("k", "c");
    controller.abort(new Error("not needed"));
    await second.then(
      () => assert.unreachable("should abort"),
      (error: unknown) => assert.is((error as Error).message, "not needed"),
    );
    assert.is(sim.now(), 0, "rejected at once");
    assert.is(await first, "");
    assert.is(await third, "a");
    assert.is(log.calls, 3, "the session opened, then two Appends");
    assert.is(await ck.get("k"), "ac");
  }),
);

test("retryDelayMs must be a finite number >= 0", () => {
  const transport = { call: async () => ({ ok: false as const }) };
  for (const retryDelayMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new Clerk(transport, { retryDelayMs }), RangeError);
  }
});

test("bad arguments are rejected before anything is sent", async () => {
  let calls = 0;
  const ck = new Clerk({
    call: async () => {
      calls++;
      return { ok: false };
    },
  });
  for (const attempt of [
    () => ck.get(5 as unknown as string),
    () => ck.put("k", undefined as unknown as string),
    () => ck.append({} as unknown as string, "v"),
  ]) {
    await attempt().then(
      () => assert.unreachable("should reject"),
      (error: unknown) => assert.instance(error, MalformedCommandError),
    );
  }
  assert.is(calls, 0);
});

test("replies the clerk does not expect become typed errors", async () => {
  const replies: unknown[] = [
    { status: "superseded" },
    { status: "malformed", field: "key", expected: "a string", message: "malformed command" },
    { status: "unknown-method", method: "KVServer.Get", methods: [] },
    { status: "ok", value: 42 },
    "nonsense",
    null,
  ];
  const kinds = [SupersededError, MalformedCommandError];
  for (const [i, reply] of replies.entries()) {
    const ck = new Clerk({ call: async () => ({ ok: true, reply }) });
    await ck.get("k").then(
      () => assert.unreachable(`reply ${JSON.stringify(reply)} should fail`),
      (error: unknown) => assert.instance(error, kinds[i] ?? ServiceProtocolError),
    );
  }
  const ck = new Clerk({ call: async () => ({ ok: true, reply: { status: "ok" } }) });
  await ck.append("k", "v").then(
    () => assert.unreachable("an Append reply without the old value"),
    (error: unknown) => assert.instance(error, ServiceProtocolError),
  );
});

test(
  "a clerk whose session expired fails its write with SessionExpiredError, then goes on under a fresh id",
  simTest(async (sim) => {
    const server = new KvServer({ maxSessions: 1 });
    const { transport } = flakyTransport(sim, server, 0);
    const ck = new Clerk(transport, { clock: sim, random: sim.random });
    const other = new Clerk(transport, { clock: sim, random: sim.random });
    await ck.put("k", "a");
    const firstId = ck.clientId;
    await other.put("j", "b"); // evicts ck's session
    const error = await ck.put("k", "lost").catch((e: unknown) => e);
    assert.instance(error, SessionExpiredError);
    assert.is(server.stateMachine.read("k"), "a", "the refused write executed nothing");
    assert.is.not(ck.clientId, firstId);
    await ck.put("k", "c");
    assert.is(server.stateMachine.read("k"), "c");
  }),
);

test("the real clock and randomness are used when none are injected", async () => {
  const server = new KvServer();
  let calls = 0;
  const ck = new Clerk(
    {
      call: async (_to, method, args) =>
        ++calls <= 2 ? { ok: false } : { ok: true, reply: server.handle(method, args) },
    },
    { retryDelayMs: 2 },
  );
  await ck.put("k", "real");
  assert.is(await ck.get("k"), "real");
  assert.is(calls, 5, "two failures, the session opened, the Put, the Get");
  assert.match(ck.clientId, /^[A-Za-z0-9_-]{21}$/);
});

test.run();
