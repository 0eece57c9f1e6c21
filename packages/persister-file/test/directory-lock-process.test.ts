import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DirectoryLockedError, FilePersister, LOCK_FILE } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

async function lockedError(dir: string): Promise<DirectoryLockedError> {
  try {
    const p = await FilePersister.open(dir);
    await p.close();
  } catch (error) {
    assert.instance(error, DirectoryLockedError);
    return error as DirectoryLockedError;
  }
  throw new Error(`${dir} opened twice`);
}

/** A child process holding the directory; resolves once it has opened it. */
function holder(dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const script = new URL("./fixtures/holder.ts", import.meta.url).pathname;
    const child = spawn(process.execPath, ["--import", "tsx", script, dir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const timer = setTimeout(
      () => reject(new Error("the holder did not open the directory in 20 s")),
      20_000,
    );
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`the holder exited with ${code}`)));
  });
}

test("one process per data directory: a second open in this process is refused until the first closes", async () => {
  const { dir, dispose } = tempDir();
  try {
    const first = await FilePersister.open(dir);
    const error = await lockedError(dir);
    assert.is(error.dir, dir);
    assert.is(error.pid, process.pid);
    assert.is(error.code, "ERR_RAFTKIT_DIRECTORY_LOCKED");
    assert.match(error.message, new RegExp(`${dir} is in use by process ${process.pid}`));
    assert.match(error.message, /Stop that process/);
    await first.close();
    assert.not.ok(existsSync(join(dir, LOCK_FILE)), "close() releases the lock");
    await (await FilePersister.open(dir)).close();
  } finally {
    dispose();
  }
});

test("another live process's directory is refused with its pid; once it is killed (-9) the lock is taken over", async () => {
  const { dir, dispose } = tempDir();
  const child = await holder(dir);
  try {
    const error = await lockedError(dir);
    assert.is(error.pid, child.pid);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    assert.ok(existsSync(join(dir, LOCK_FILE)), "kill -9 leaves the LOCK file behind");
    const p = await FilePersister.open(dir);
    await p.close();
  } finally {
    child.kill("SIGKILL");
    dispose();
  }
});

test.run();
