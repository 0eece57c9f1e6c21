import { MalformedCommandError } from "@raftkit/kvsrv";
import { simTest } from "@raftkit/labrpc";
import type { CallResult, Transport } from "@raftkit/raft";
import {
  endsOf,
  MalformedRequestError,
  SERVICE_METHODS,
  type ServerEnd,
  ServiceConfigError,
  ServiceProtocolError,
  SupersededError,
} from "@raftkit/service";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Clerk } from "../src/index.js";

interface Call {
  server: number;
  method: string;
  args: Record<string, unknown>;
}

/** Fake servers: `answer(server, call#, method)` decides each reply. */
function fakeServers(n: number, answer: (server: number, nth: number, method: string) => unknown) {
  const calls: Call[] = [];
  const ends: ServerEnd[] = Array.from({ length: n }, (_, server) => ({
    call: async (method: string, args: unknown): Promise<CallResult<unknown>> => {
      calls.push({ server, method, args: args as Record<string, unknown> });
      const reply = answer(server, calls.length, method);
      return { ok: true, reply };
    },
  }));
  return { calls, ends };
}

/** A leader's replies: a session opens, a write answers `ok`, a read answers `value`. */
const leaderReply = (method: string, value?: string) =>
  method === SERVICE_METHODS.openSession
    ? { status: "ok", value: 42 }
    : { status: "ok", value: method === SERVICE_METHODS.read ? value : undefined };
const NOT_LEADER = { status: "error", code: "NOT_LEADER", message: "not the leader" };
const TIMEOUT = { status: "error", code: "TIMEOUT", message: "timed out" };

test(
  "rotates past NOT_LEADER and TIMEOUT, then remembers the leader",
  simTest(async (sim) => {
    const { calls, ends } = fakeServers(4, (server, nth, method) =>
      server === 2 ? leaderReply(method, "v") : nth % 2 ? NOT_LEADER : TIMEOUT,
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
      [2, 2, 2],
      "the session opened, then two writes, all at the leader",
    );
  }),
);

test(
  "writes open a session once, then carry the clerk's id and consecutive sequence numbers (reused by retries); reads carry the key only",
  simTest(async (sim) => {
    let failNext = false;
    const { calls, ends } = fakeServers(1, (_server, _nth, method) => {
      failNext = !failNext;
      return failNext ? TIMEOUT : leaderReply(method, "1");
    });
    const ck = new Clerk(ends, { clock: sim, random: sim.random });
    assert.is(ck.sessionId, undefined);
    await ck.put("a", "1");
    assert.is(await ck.get("a"), "1");
    await ck.append("a", "2");
    await ck.delete("a");
    const submits = calls.filter((c) => c.method === SERVICE_METHODS.submit);
    assert.equal(
      submits.map((c) => [c.args.seq, c.args.command]),
      [
        [1, [1, "a", "1"]],
        [1, [1, "a", "1"]],
        [2, [2, "a", "2"]],
        [2, [2, "a", "2"]],
        [3, [3, "a"]],
        [3, [3, "a"]],
      ],
    );
    assert.ok(
      submits.every((c) => c.args.session === 42),
      "every write names the session the server opened",
    );
    assert.is(ck.sessionId, 42);
    assert.equal(
      calls.filter((c) => c.method === SERVICE_METHODS.openSession).map((c) => c.args),
      [{}, {}],
      "opened once (and retried once)",
    );
    assert.equal(calls.find((c) => c.method === SERVICE_METHODS.read)!.args, { query: "a" });
  }),
);

test(
  "an AbortSignal stops the retries and rejects with its reason; the clerk stays usable",
  simTest(async (sim) => {
    let up = false;
    const { ends } = fakeServers(2, (_server, _nth, method) => (up ? leaderReply(method, "x") : NOT_LEADER));
    const ck = new Clerk(ends, { clock: sim, random: sim.random });
    const controller = new AbortController();
    const pending = ck.put("k", "v", { signal: controller.signal });
    await sim.sleep(500);
    controller.abort(new Error("gave up"));
    const error = await pending.catch((e: unknown) => e);
    assert.is((error as Error).message, "gave up");
    up = true;
    assert.is(await ck.get("k", { signal: new AbortController().signal }), "x");
  }),
);

test(
  "typed errors: superseded, malformed, an unknown reply; bad arguments are refused before sending; no servers",
  simTest(async (sim) => {
    const reject = async (reply: unknown, expected: (e: unknown) => boolean) => {
      const ck = new Clerk(
        fakeServers(1, (_s, _n, method) =>
          method === SERVICE_METHODS.openSession ? { status: "ok", value: 1 } : reply,
        ).ends,
        { clock: sim, random: sim.random },
      );
      const error = await ck.put("k", "v").catch((e: unknown) => e);
      assert.ok(expected(error), String(error));
    };
    await reject({ status: "error", code: "SUPERSEDED", message: "" }, (e) => e instanceof SupersededError);
    await reject(
      { status: "error", code: "MALFORMED", message: "malformed request: x" },
      (e) => e instanceof MalformedRequestError,
    );
    await reject({ hello: 1 }, (e) => e instanceof ServiceProtocolError);
    await reject({ status: "ok", value: 3 }, (e) => e instanceof ServiceProtocolError);
    // kvsrv's result form, which kvraft no longer sends: not understood either.
    await reject({ status: "ok", value: { status: "ok" } }, (e) => e instanceof ServiceProtocolError);
    const noId = new Clerk(
      fakeServers(1, (_s, _n, method) =>
        method === SERVICE_METHODS.openSession ? { status: "ok" } : leaderReply(method),
      ).ends,
      { clock: sim, random: sim.random },
    );
    assert.instance(await noId.put("k", "v").catch((e: unknown) => e), ServiceProtocolError, "no session id");
    const { calls, ends } = fakeServers(1, (_s, _n, method) => leaderReply(method));
    const ck = new Clerk(ends, { clock: sim, random: sim.random });
    for (const bad of [() => ck.put("k", 5 as unknown as string), () => ck.get(5 as unknown as string)]) {
      assert.instance(await bad().catch((e: unknown) => e), MalformedCommandError);
    }
    assert.is(calls.length, 0, "nothing was sent");
    assert.throws(
      () => new Clerk([], {}),
      (e: unknown) => e instanceof ServiceConfigError,
    );
  }),
);

test(
  "over the service layer's endsOf, the clerk names the member each request is for",
  simTest(async (sim) => {
    const seen: Array<[number, unknown]> = [];
    const transport: Pick<Transport, "call"> = {
      call: async (to, method, args) => {
        seen.push([to, (args as { to?: unknown }).to]);
        return to === 5 ? { ok: true, reply: leaderReply(method, "five") } : { ok: false };
      },
    };
    const ck = new Clerk(endsOf(transport, [3, 4, 5]), { clock: sim, random: sim.random });
    assert.is(await ck.get("k"), "five");
    assert.equal(seen[seen.length - 1], [5, 5]);
    assert.ok(seen.every(([to, named]) => to === named));
  }),
);

test.run();
