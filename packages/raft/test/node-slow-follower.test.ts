import { Simulation } from "@raftkit/labrpc";
import { Encoder } from "cbor-x";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  type CallResult,
  MemoryPersister,
  type RaftConfig,
  RaftNode,
  type RequestHandler,
  type Transport,
} from "../src/index.js";

const codec = new Encoder({ useRecords: false, mapsAsObjects: true });

/**
 * Members wired to each other's handlers through encoded copies; calls to member `slow` take
 * `slowMs` to arrive (a follower on a slow link). Counts the encoded bytes of calls in flight to
 * it: what the leader's process holds for it.
 */
class Links {
  readonly handlers: (RequestHandler | undefined)[] = [];
  inflightBytes = 0;
  peakBytes = 0;
  constructor(
    private readonly sim: Simulation,
    private readonly slow: number,
    private readonly slowMs: number,
  ) {}

  transport(self: number): Transport {
    return {
      call: (to, method, args) => this.call(self, to, method, args),
      listen: (handler) => {
        this.handlers[self] = handler;
      },
    };
  }

  private async call(from: number, to: number, method: string, args: unknown): Promise<CallResult<unknown>> {
    const bytes = codec.encode(args).slice();
    const counted = to === this.slow ? bytes.length : 0;
    this.inflightBytes += counted;
    this.peakBytes = Math.max(this.peakBytes, this.inflightBytes);
    try {
      await this.sim.sleep(to === this.slow ? this.slowMs : 1);
      const handler = this.handlers[to];
      if (!handler || from === to) return { ok: false };
      const reply = await handler(method, codec.decode(bytes));
      return { ok: true, reply: codec.decode(codec.encode(reply).slice()) };
    } finally {
      this.inflightBytes -= counted;
    }
  }
}

const LIMITS: Partial<RaftConfig> = {
  maxMessageBytes: 16 * 1024,
  maxProposalBytes: 4 * 1024,
  maxInflightMessages: 64,
  maxInflightBytes: 64 * 1024,
  maxUncommittedBytes: 1024 * 1024,
};

/** 3 members, member 2 behind a 300 ms link; 3 MB of 1 KiB commands. Returns the peak in flight. */
async function slowFollowerRun(seed: number, config: Partial<RaftConfig>) {
  const sim = new Simulation({ seed });
  return sim.run(async () => {
    const links = new Links(sim, 2, 300);
    const applied = [0, 0, 0];
    const nodes = [0, 1, 2].map(
      (id) =>
        new RaftNode<string>({
          id,
          peerCount: 3,
          transport: links.transport(id),
          storage: new MemoryPersister<string>(),
          clock: sim,
          random: sim.random,
          config: { ...config, electionTimeoutMinMs: 1000, electionTimeoutMaxMs: 2000 },
          onApply: (m) => {
            if (m.kind === "command") applied[id] = m.index;
          },
        }),
    );
    // Member 2 only follows: it never campaigns (its link is slow, not broken).
    let leader: RaftNode<string> | undefined;
    for (let i = 0; i < 500 && !leader; i++) {
      leader = nodes.find((n) => n.id !== 2 && n.getState().isLeader);
      await sim.sleep(10);
    }
    if (!leader) throw new Error("no leader among members 0 and 1 in 5 s");
    const value = "v".repeat(1000);
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 30; i++) leader.start(value);
      await sim.sleep(20);
    }
    const last = leader.lastIndex;
    for (let i = 0; i < 600 && applied[2]! < last; i++) await sim.sleep(100);
    for (const node of nodes) node.kill();
    return { peak: links.peakBytes, caughtUp: applied[2] === last, committed: leader.commitIndex === last };
  });
}

test("node: a follower behind a slow link costs the leader bounded bytes in flight, and catches up", async () => {
  const bounded = await slowFollowerRun(21, LIMITS);
  // The window plus one message (and the small envelopes of heartbeats) is all the leader holds.
  const bound = LIMITS.maxInflightBytes! + LIMITS.maxMessageBytes! + 16 * 1024;
  assert.ok(bounded.peak <= bound, `peak ${bounded.peak} bytes in flight, bound ${bound}`);
  assert.ok(bounded.committed && bounded.caughtUp);
  // Negative control: with a window too large to matter, the same run holds far more.
  const unbounded = await slowFollowerRun(21, {
    ...LIMITS,
    maxInflightBytes: 1 << 30,
    maxInflightMessages: 1 << 20,
  });
  assert.ok(unbounded.peak > 4 * bound, `without a window the peak is only ${unbounded.peak}`);
});

test.run();
