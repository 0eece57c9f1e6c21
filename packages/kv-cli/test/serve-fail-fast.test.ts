import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "@raftkit/transport-tcp/testkit";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type ServeProcess, spawnServe } from "../src/testkit/index.js";

// `raftkit-kv serve` started twice (same --data, or the same port): the second fails at once
// with a clear message and a non-zero exit instead of running on as a ghost. Real processes on
// 127.0.0.1; every wait is bounded.

/** A serve process, with its stderr as one string. */
type Member = ServeProcess & { stderr: () => string };

function serve(args: string[]): Member {
  const started = spawnServe(args);
  return { ...started, stderr: () => started.log.join("\n") };
}

/** The exit code, or a failure if the process is still running after `ms`. */
async function exitWithin(member: Member, ms: number, what: string): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"running">((resolve) => {
    timer = setTimeout(() => resolve("running"), ms);
  });
  const outcome = await Promise.race([member.exited, late]);
  clearTimeout(timer);
  if (outcome === "running") {
    member.child.kill("SIGKILL");
    throw new Error(`${what}: still running after ${ms} ms (a ghost). stderr:\n${member.stderr()}`);
  }
  return outcome;
}

async function until(member: Member, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(member.stderr())) {
    if (Date.now() > deadline) throw new Error(`never logged ${pattern} in ${ms} ms:\n${member.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const root = mkdtempSync(join(tmpdir(), "raftkit-fail-fast-"));

test.after(() => rmSync(root, { recursive: true, force: true }));

test("a second serve on a data directory in use, or on a port in use, exits non-zero at once; SIGTERM stops the first", async () => {
  const ports = await freePorts(3);
  const peers = ports.map((p) => `127.0.0.1:${p}`).join(",");
  const member = (data: string) => ["--id", "0", "--peers", peers, "--data", join(root, data)];
  const first = serve(member("m0"));
  try {
    await until(first, /serving on/, 30_000);

    const sameDir = serve([...member("m0"), "--listen", "127.0.0.1:0"]);
    const sameDirCode = await exitWithin(sameDir, 15_000, "serve on a locked directory");
    assert.ok(sameDirCode !== 0 && sameDirCode !== null, `exit code ${sameDirCode}`);
    assert.match(sameDir.stderr(), new RegExp(`in use by process ${first.child.pid}`));

    const samePort = serve(member("other"));
    const samePortCode = await exitWithin(samePort, 15_000, "serve on a port in use");
    assert.ok(samePortCode !== 0 && samePortCode !== null, `exit code ${samePortCode}`);
    assert.match(samePort.stderr(), new RegExp(`127\\.0\\.0\\.1:${ports[0]} is already in use`));

    first.child.kill("SIGTERM");
    assert.is(await exitWithin(first, 15_000, "the first member after one SIGTERM"), 0);
  } finally {
    first.child.kill("SIGKILL");
  }
});

test.run();
