import { KvProtocolError, MalformedCommandError, SupersededRequestError } from "@raftkit/kvsrv";
import { simTest } from "@raftkit/labrpc";
import type { CallResult, Transport } from "@raftkit/raft";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Clerk, endsOf, KvRaftConfigError, type ServerEnd } from "../src/index.js";

interface Call {
  server: number;
  method: string;
  args: Record<string, unknown>;
}

/** Fake servers: `answer(server, call#)` decides each reply (undefined: the call fails). */
function fakeServers(n: number, answer: (server: number, nth: number) => unknown) {
  const calls: Call[] = [];
  const ends: ServerEnd[] = Array.from({ length: n }, (_, server) => ({
    call: async (method: string, args: unknown): Promise<CallResult<unknown>> => {
      calls.push({ server, method, args: args as Record<string, unknown> });
      const reply = answer(server, calls.length);
      return reply === undefined ? { ok: false } : { ok: true, reply };
    },
  }));
  return { calls, ends };
}

const WRONG = { status: "wrong-leader" };

test(
  "rotates past failures, wrong-leader and timeout, then remembers the leader",
  simTest(async (sim) => {
    const { calls, ends } = fakeServers(4, (server, nth) =>
      server === 2
        ? { status: "ok", value: "v" }
        : nth % 2
          ? WRONG
          : server === 1
            ? { status: "timeout" }
            : undefined,
    );
    const ck = new Clerk(ends, { clock: sim, random: sim.random });
    assert.is(await ck.get("k"), "v");
    assert.is(calls[calls.length - 1]!.server, 2);
    assert.is(ck.preferredServer, 2);
    const before = calls.length;
    await ck.put("k", "x");
    await ck.append("k", "y");
    assert.equal(
      calls.slice(before).map((c) => c.server),
      [2, 2],
    );
  }),
);

test(
  "Put and Append carry the clerk's id and consecutive sequence numbers, Gets no session; retries reuse them",
  simTest(async (sim) => {
    let failNext = false;
    const { calls, ends } = fakeServers(1, () => {
      failNext = !failNext;
      return failNext ? undefined : { status: "ok" };
    });
    const ck = new Clerk(ends, { clock: sim, random: sim.random, clientId: "me" });
    await ck.put("a", "1");
    await ck.get("a");
    await ck.append("a", "2");
    const writes = calls.filter((c) => c.method !== "KVServer.Get");
    assert.equal(
      writes.map((c) => c.args.seq),
      [1, 1, 2, 2],
    );
    assert.ok(writes.every((c) => c.args.clientId === "me"));
    assert.equal(calls.find((c) => c.method === "KVServer.Get")!.args, { key: "a" });
  }),
);

test(
  "pauses through the injected clock only after a whole round of refusals",
  simTest(async (sim) => {
    let round = 0;
    const { calls, ends } = fakeServers(3, (_server, nth) => {
      round = Math.ceil(nth / 3);
      return round < 3 ? WRONG : { status: "ok" };
    });
    const ck = new Clerk(ends, { clock: sim, random: sim.random, retryDelayMs: 100 });
    const t0 = sim.now();
    await ck.put("k", "v");
    assert.is(calls.length, 7);
    const elapsed = sim.now() - t0;
    assert.ok(elapsed >= 100 && elapsed < 300, `paused ${elapsed} ms for two rounds`);
  }),
);

test(
  "an AbortSignal stops the retries and rejects with its reason",
  simTest(async (sim) => {
    const { ends } = fakeServers(2, () => undefined);
    const ck = new Clerk(ends, { clock: sim, random: sim.random });
    const controller = new AbortController();
    const pending = ck.put("k", "v", { signal: controller.signal });
    await sim.sleep(500);
    controller.abort(new Error("gave up"));
    try {
      await pending;
      assert.unreachable("should have rejected");
    } catch (error) {
      assert.is((error as Error).message, "gave up");
    }
    // The clerk stays usable.
    const ok = fakeServers(1, () => ({ status: "ok", value: "x" }));
    const ck2 = new Clerk(ok.ends, { clock: sim, random: sim.random });
    assert.is(await ck2.get("k", { signal: new AbortController().signal }), "x");
  }),
);

test(
  "typed errors: superseded, malformed, an unknown reply; bad arguments; no servers",
  simTest(async (sim) => {
    const reject = async (reply: unknown, expected: (e: unknown) => boolean) => {
      const ck = new Clerk(fakeServers(1, () => reply).ends, { clock: sim, random: sim.random });
      try {
        await ck.put("k", "v");
        assert.unreachable("should have rejected");
      } catch (error) {
        assert.ok(expected(error), String(error));
      }
    };
    await reject({ status: "superseded" }, (e) => e instanceof SupersededRequestError);
    await reject(
      { status: "malformed", field: "key", expected: "a string" },
      (e) => e instanceof MalformedCommandError,
    );
    await reject({ hello: 1 }, (e) => e instanceof KvProtocolError);
    await reject({ status: "ok", value: 3 }, (e) => e instanceof KvProtocolError);
    const ck = new Clerk(fakeServers(1, () => ({ status: "ok" })).ends, { clock: sim, random: sim.random });
    try {
      await ck.put("k", 5 as unknown as string);
      assert.unreachable("should have rejected");
    } catch (error) {
      assert.instance(error, MalformedCommandError);
    }
    assert.throws(
      () => new Clerk([], {}),
      (e: unknown) => e instanceof KvRaftConfigError,
    );
  }),
);

test(
  "endsOf turns a Transport into one end per peer",
  simTest(async (sim) => {
    const seen: number[] = [];
    const transport: Pick<Transport, "call"> = {
      call: async (to) => {
        seen.push(to);
        return to === 5 ? { ok: true, reply: { status: "ok", value: "five" } } : { ok: false };
      },
    };
    const ck = new Clerk(endsOf(transport, [3, 4, 5]), { clock: sim, random: sim.random });
    assert.is(await ck.get("k"), "five");
    assert.is(seen[seen.length - 1], 5);
  }),
);

test.run();
