import { spawn } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FilePersister } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

/** Runs the writer under `ulimit -f` until a write fails; returns the last index it acknowledged. */
function runUnderFileSizeLimit(dir: string, blocks: number): Promise<{ acked: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const writer = new URL("./fixtures/writer.ts", import.meta.url).pathname;
    const child = spawn(
      "sh",
      ["-c", `ulimit -f ${blocks} && exec "$0" --import tsx "$1" "$2"`, process.execPath, writer, dir],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the writer did not stop at the file size limit in 30 s: ${err}`));
    }, 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      const acks = out.split("\n").filter((line) => /^\d+$/.test(line));
      if (!/ShortWriteError|EFBIG/.test(err))
        reject(new Error(`the writer stopped without a write error: ${err}`));
      resolve({ acked: Number(acks.at(-1) ?? 0), code });
    });
  });
}

test("under ulimit -f, the write that hits the limit fails and every acknowledged entry is on disk", async () => {
  const { dir, dispose } = tempDir();
  try {
    const { acked, code } = await runUnderFileSizeLimit(dir, 4);
    assert.ok(code !== 0, "the writer must fail, not go on");
    assert.ok(acked > 0, "some entries were acknowledged before the limit");
    const p = await FilePersister.open<string>(dir);
    const state = p.load()!;
    const base = state.snapshot?.meta.index ?? 0;
    assert.ok(
      base + state.entries.length >= acked,
      `acknowledged ${acked}, found ${base + state.entries.length}`,
    );
    for (const [i, e] of state.entries.entries()) assert.is(e.command, `command-${base + i + 1}`);
    await p.close();
  } finally {
    dispose();
  }
});

test.run();
