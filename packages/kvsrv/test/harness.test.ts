import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KV_OPEN_SESSION, type KvReply, KvServer, opOfMethod } from "../src/index.js";
import { append, get, KvTestConfig, put } from "./helpers/config.js";
import { checkLinearizable, type KvOperation } from "./helpers/linearizability.js";

async function expectIllegal(history: KvOperation[]): Promise<void> {
  try {
    await checkLinearizable(history);
  } catch (error) {
    const match = /visualisation written to (.+\.html)$/.exec((error as Error).message);
    assert.ok(match, (error as Error).message);
    const file = match[1]!;
    assert.ok(existsSync(file), `${file} exists`);
    // A fresh temporary directory per visualisation: tidy it up so soak runs leave nothing behind.
    if (dirname(file).startsWith(tmpdir())) rmSync(dirname(file), { recursive: true, force: true });
    return;
  }
  assert.unreachable("the history should be illegal");
}

test("a non-linearizable history fails the check and names its visualisation", async () => {
  const history: KvOperation[] = [
    { clientId: 0, input: { op: "put", key: "k", value: "a" }, call: 0, output: {}, return: 1 },
    { clientId: 1, input: { op: "get", key: "k" }, call: 2, output: { value: "" }, return: 3 },
  ];
  await expectIllegal(history);
  await checkLinearizable(history.slice(0, 1));
});

/** A server that forgets who sent what: every write comes in a fresh session, so every retry executes again. */
class ForgetfulServer extends KvServer {
  private fresh = 0;
  override handle(method: string, args: unknown): KvReply {
    if (opOfMethod(method) === undefined || opOfMethod(method) === "get") return super.handle(method, args);
    const clientId = `anon-${this.fresh++}`;
    super.handle(KV_OPEN_SESSION, { clientId });
    return super.handle(method, { ...(args as object), clientId, seq: 1 });
  }
}

test(
  "the checks catch a server that executes retried Appends twice",
  simTest(async (sim) => {
    const server = new ForgetfulServer();
    const cfg = new KvTestConfig(sim, { reliable: false, server });
    const log: KvOperation[] = [];
    const ck = cfg.makeClient().clerk;
    await put(cfg, ck, "k", "", log, 0);
    await Promise.all(
      [1, 2, 3, 4, 5].map(async (cli) => {
        const client = cfg.makeClient().clerk;
        for (let j = 0; j < 30; j++) await append(cfg, client, "k", `x ${cli} ${j} y`, log, cli);
      }),
    );
    await get(cfg, ck, "k", log, 0);
    await expectIllegal(log);
    cfg.cleanup();
  }),
);

test.run();
