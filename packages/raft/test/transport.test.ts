import { Network, Server, Simulation } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LabrpcTransport, RAFT_METHODS } from "../src/index.js";

test("labrpc transport: calls reach the peer's handler as Raft.<method>, replies come back", async () => {
  const sim = new Simulation({ seed: 1 });
  await sim.run(async () => {
    const net = new Network({ clock: sim, random: sim.random });
    const ends = [0, 1].map((j) => {
      const end = net.makeEnd(`to-${j}`);
      net.connect(end.name, j);
      net.enable(end.name, true);
      return end;
    });
    const caller = new LabrpcTransport(ends);
    const callee = new LabrpcTransport([]);
    const seen: string[] = [];
    callee.listen((method, args) => {
      seen.push(method);
      return { echo: args };
    });
    const server = new Server();
    callee.register(server);
    net.addServer(1, server);
    assert.equal(server.methods, RAFT_METHODS.map((m) => `Raft.${m}`).sort());
    const result = await caller.call(1, "AppendEntries", { x: 1 });
    assert.equal(result, { ok: true, reply: { echo: { x: 1 } } });
    assert.equal(seen, ["AppendEntries"]);
    // A peer that is not there fails like a lost message, not with an exception.
    assert.equal(await caller.call(0, "RequestVote", {}), { ok: false });
    // A peer id without an end is a programming error.
    await caller.call(5, "RequestVote", {}).then(
      () => assert.unreachable(),
      (error: unknown) => assert.instance(error, RangeError),
    );
  });
});

test.run();
