// What this machine's disk allows a durable replicated write, before any Raft: the latency of
// appending a small record and fdatasync-ing it, alone and as three members on this one disk do
// it for every put (three processes writing in lockstep, each to its own file). A commit needs
// the second of the three to be durable (a majority, with the leader's own write counted only
// once durable), so the "2nd of 3" row is a floor under a one-client put's latency percentiles:
// when its p99 is over a target, no Raft on this disk meets that target, etcd included.
// Each is measured twice: appending at the end of the file (the size changes, so every
// fdatasync writes the inode too) and writing into space zero-filled beforehand (only the data
// is flushed), as @raftkit/persister-file's log does since it allocates ahead.
//
//   node apps/bench/scripts/disk-floor.mjs [--rounds 2000] [--record-bytes 150] [--dir <on the disk to test>] [--json <file>]
//
// --dir defaults to the OS temporary directory, where the bench's members keep their data.
import { fork } from "node:child_process";
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { percentiles } from "./percentiles.mjs";

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === "--writer") {
  // One member's disk: on each "write" message, write a record and fdatasync; answer the ms taken.
  // "append" writes at the end of the file (its size changes with every write); "allocated"
  // writes into space zero-filled and synced beforehand, as @raftkit/persister-file's log does.
  const [, , , path, bytes, mode, rounds] = process.argv;
  const fd = openSync(path, "w");
  const record = Buffer.alloc(Number(bytes), 0x5a);
  if (mode === "allocated") {
    // Room for both runs (alone, then one of three) of `rounds` records.
    const zeros = Buffer.alloc(2 * Number(bytes) * Number(rounds));
    writeSync(fd, zeros, 0, zeros.length, 0);
    fdatasyncSync(fd);
  }
  let position = 0;
  process.on("message", (message) => {
    if (message !== "write") {
      closeSync(fd);
      process.disconnect();
      return;
    }
    const started = process.hrtime.bigint();
    writeSync(fd, record, 0, record.length, position);
    position += record.length;
    fdatasyncSync(fd);
    process.send(Number(process.hrtime.bigint() - started) / 1e6);
  });
} else {
  const usage = "usage: disk-floor.mjs [--rounds N] [--record-bytes N] [--dir DIR] [--json FILE]";
  let flags;
  try {
    ({ values: flags } = parseArgs({
      options: {
        rounds: { type: "string", default: "2000" },
        "record-bytes": { type: "string", default: "150" },
        dir: { type: "string", default: tmpdir() },
        json: { type: "string" },
      },
    }));
  } catch (error) {
    console.error(`disk-floor: ${error.message}\n${usage}`);
    process.exit(2);
  }
  const rounds = Number(flags.rounds);
  const recordBytes = Number(flags["record-bytes"]);
  for (const [name, value] of [
    ["--rounds", rounds],
    ["--record-bytes", recordBytes],
  ]) {
    if (!Number.isInteger(value) || value < 1) {
      console.error(`disk-floor: ${name} must be a whole number of at least 1\n${usage}`);
      process.exit(2);
    }
  }

  const dir = mkdtempSync(join(flags.dir, "raftkit-disk-floor-"));
  const started = [];
  /** Three writers of one mode, each with its own file. */
  const startWriters = (mode) => {
    const writers = [0, 1, 2].map((i) =>
      fork(self, ["--writer", join(dir, `${mode}-${i}`), String(recordBytes), mode, String(rounds)], {
        stdio: "inherit",
      }),
    );
    started.push(...writers);
    return writers;
  };
  /** One record written and synced by `writer`: the ms it took; rejects if the writer died. */
  const write = (writer) =>
    new Promise((resolve, reject) => {
      const died = (code) => reject(new Error(`disk-floor: a writer exited (${code}) mid-run`));
      writer.once("exit", died);
      writer.once("message", (ms) => {
        writer.off("exit", died);
        resolve(ms);
      });
      writer.send("write");
    });
  const exited = (writer) =>
    writer.exitCode !== null || writer.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => writer.once("exit", resolve));
  try {
    const rows = [];
    for (const [mode, label] of [
      ["append", "appended"],
      ["allocated", "into allocated space"],
    ]) {
      const writers = startWriters(mode);
      const alone = [];
      for (let round = 0; round < rounds; round++) alone.push(await write(writers[0]));
      const second = [];
      for (let round = 0; round < rounds; round++) {
        const took = await Promise.all(writers.map(write));
        second.push(took.sort((a, b) => a - b)[1]);
      }
      rows.push({ name: `one writer alone, ${label}`, mode, ...percentiles(alone) });
      rows.push({ name: `2nd of 3 at once, ${label}`, mode, ...percentiles(second) });
    }
    console.log(`${recordBytes} B written + fdatasync in ${flags.dir}, ${rounds} rounds each (ms)`);
    console.log(
      ["", "p50", "p90", "p99", "p99.9", "max"].map((h, i) => (i ? h.padStart(8) : h.padEnd(40))).join(""),
    );
    for (const row of rows) {
      const cells = [row.p50, row.p90, row.p99, row.p999, row.max].map((ms) => ms.toFixed(2).padStart(8));
      console.log(row.name.padEnd(40) + cells.join(""));
    }
    if (flags.json)
      writeFileSync(
        flags.json,
        `${JSON.stringify({ rounds, recordBytes, dir: flags.dir, rows }, null, 2)}\n`,
      );
  } finally {
    for (const writer of started) if (writer.connected) writer.send("stop");
    await Promise.all(started.map(exited));
    rmSync(dir, { recursive: true, force: true });
  }
}
