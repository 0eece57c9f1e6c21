import { simulate } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { append, get, KvTestConfig } from "./helpers/config.js";
import type { KvOperation } from "./helpers/linearizability.js";

/** Three clerks appending to one key over an unreliable network; returns the whole history. */
async function run(seed: number): Promise<{ history: KvOperation[]; rpcs: number }> {
  return simulate(seed, async (sim) => {
    const cfg = new KvTestConfig(sim, { reliable: false });
    const history: KvOperation[] = [];
    await Promise.all(
      [0, 1, 2].map(async (cli) => {
        const ck = cfg.makeClient().clerk;
        for (let j = 0; j < 10; j++) await append(cfg, ck, "k", `${cli}.${j} `, history, cli);
        await get(cfg, ck, "k", history, cli);
      }),
    );
    return { history, rpcs: cfg.net.getTotalCount() };
  });
}

test("the same seed replays the same run, message for message", async () => {
  const first = await run(1234);
  const second = await run(1234);
  assert.equal(second, first);
  const other = await run(4321);
  assert.not.equal(other.history, first.history);
});

test.run();
