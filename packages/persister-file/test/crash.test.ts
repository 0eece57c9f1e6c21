import { spawn } from "node:child_process";
import { SeededRandom, withSeed } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FilePersister } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

/** Runs the writer until it has acknowledged `acks` more entries, then kills it with SIGKILL. */
function runAndKill(dir: string, acks: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const writer = new URL("./fixtures/writer.ts", import.meta.url).pathname;
    const child = spawn(process.execPath, ["--import", "tsx", writer, dir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let lastAcked = 0;
    let seen = 0;
    let buffered = "";
    const killer = setTimeout(() => reject(new Error("writer made no progress in 20 s")), 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("start")) continue;
        lastAcked = Number(line);
        if (++seen === acks) setTimeout(() => child.kill("SIGKILL"), extraMs);
      }
    });
    child.on("exit", () => {
      clearTimeout(killer);
      resolve(lastAcked);
    });
  });
}

test("kill -9 at random moments: every write acknowledged as durable survives", () =>
  withSeed(async (seed) => {
    const random = new SeededRandom(seed);
    const { dir, dispose } = tempDir();
    try {
      for (let round = 0; round < 4; round++) {
        const acked = await runAndKill(dir, 30 + random.int(120), random.int(15));
        const p = await FilePersister.open<string>(dir);
        const state = p.load()!;
        const base = state.snapshot?.meta.index ?? 0;
        const last = base + state.entries.length;
        assert.ok(last >= acked, `round ${round}: acknowledged ${acked} but only ${last} survived`);
        for (const [i, e] of state.entries.entries()) assert.is(e.command, `command-${base + i + 1}`);
        if (state.snapshot) assert.is(Buffer.from(state.snapshot.data).toString(), `through-${base}`);
        await p.close();
      }
    } finally {
      dispose();
    }
  }));

test.run();
