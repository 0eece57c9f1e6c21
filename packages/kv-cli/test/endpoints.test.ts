import { PeerLinkError, type TcpTransport } from "@raftkit/transport-tcp";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Endpoints, memberAtAddress } from "../src/endpoints.js";

// Which member answered at an address comes from the refusal's `refusedBy` field, never its text.

const refusal = (refusedBy?: number) =>
  new PeerLinkError("wrong-id", 0, "127.0.0.1:7001", "refused us: this is node 4, not node 0", refusedBy);

test("memberAtAddress: the member a wrong-id refusal names in refusedBy", () => {
  assert.is(memberAtAddress(refusal(4)), 4);
  assert.is(memberAtAddress(refusal(0)), 0);
});

test("memberAtAddress: nothing from an older member's refusal, whatever its text says", () => {
  assert.is(memberAtAddress(refusal(undefined)), undefined);
});

test("memberAtAddress: nothing from a failure other than wrong-id, or none", () => {
  assert.is(
    memberAtAddress(new PeerLinkError("refused", 0, "127.0.0.1:7001", "refused us: no", 4)),
    undefined,
  );
  assert.is(memberAtAddress(undefined), undefined);
});

/**
 * A TcpTransport as Endpoints sees it: `at` says which member listens at each address; a call to
 * an id whose address holds another member fails as wrong-id, naming that member, and one to an
 * address where none listens is refused.
 */
function fakeTcp(peers: string[], at: Record<string, number>) {
  const addresses = new Map(peers.map((address, id) => [id, address]));
  const failures = new Map<number, PeerLinkError>();
  const calls: Array<{ id: number; method: string; args: unknown; timeoutMs: number | undefined }> = [];
  const setPeers: Array<[number, string]> = [];
  const tcp = {
    async call(id: number, method: string, args: unknown, timeoutMs?: number) {
      calls.push({ id, method, args, timeoutMs });
      const address = addresses.get(id)!;
      const there = at[address];
      if (there === id) return { ok: true as const, reply: `member ${id}` };
      failures.set(
        id,
        there === undefined
          ? new PeerLinkError("connection-refused", id, address, "connection refused")
          : new PeerLinkError("wrong-id", id, address, "refused us: (text)", there),
      );
      return { ok: false as const };
    },
    peerFailure: (id: number) => failures.get(id),
    setPeer(id: number, address: string) {
      setPeers.push([id, address]);
      addresses.set(id, address);
    },
  };
  return { tcp: tcp as unknown as TcpTransport, calls, setPeers };
}

test("seeds: an entry whose address holds another member becomes an end to it, called again addressed to it", async () => {
  // --peers lists member 1 first and member 0 second.
  const { tcp, calls, setPeers } = fakeTcp(["a:1", "b:1"], { "a:1": 1, "b:1": 0 });
  const endpoints = new Endpoints(tcp, ["a:1", "b:1"]);
  const [first] = endpoints.seeds();
  assert.is(first!.id, 0);
  assert.equal(await first!.call("M", { key: "k", to: 0 }), { ok: true, reply: "member 1" });
  assert.is(first!.id, 1, "the end is member 1's from now on");
  assert.equal(calls, [
    { id: 0, method: "M", args: { key: "k", to: 0 }, timeoutMs: undefined },
    { id: 1, method: "M", args: { key: "k", to: 1 }, timeoutMs: undefined },
  ]);
  assert.equal(setPeers, [[1, "a:1"]]);
  assert.equal(endpoints.list(), [{ id: 1, address: "a:1" }]);
  // The next call goes to member 1 straight away.
  assert.equal(await first!.call("M", { to: 1 }), { ok: true, reply: "member 1" });
  assert.is(calls.length, 3);
});

test("call: a member found at another id's address is learnt and called at once, with the same arguments", async () => {
  const { tcp, calls } = fakeTcp(["a:1", "b:1"], { "a:1": 1, "b:1": 0 });
  const endpoints = new Endpoints(tcp, ["a:1", "b:1"]);
  assert.equal(await endpoints.call(0, "S", null, 500), { ok: true, reply: "member 1" });
  assert.equal(calls, [
    { id: 0, method: "S", args: null, timeoutMs: 500 },
    { id: 1, method: "S", args: null, timeoutMs: 500 },
  ]);
  assert.equal(await endpoints.call(1, "S", null), { ok: true, reply: "member 1" });
  assert.is(calls.length, 3, "member 1 answers at its own id");
});

test("seeds and call: a failure that names no other member is the result, with no second call", async () => {
  const { tcp, calls, setPeers } = fakeTcp(["a:1"], {});
  const endpoints = new Endpoints(tcp, ["a:1"]);
  const [seed] = endpoints.seeds();
  assert.equal(await seed!.call("M", { to: 0 }), { ok: false });
  assert.is(seed!.id, 0);
  assert.equal(await endpoints.call(0, "S", null), { ok: false });
  assert.equal(
    calls.map((c) => c.id),
    [0, 0],
  );
  assert.equal(setPeers, []);
  assert.equal(endpoints.list(), [{ id: 0, address: "a:1" }]);
});

test.run();
