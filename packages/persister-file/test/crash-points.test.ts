import { SeededRandom } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FilePersister } from "../src/index.js";
import { image, makeWorkload, runWorkload } from "./helpers/crash-workload.js";
import type { CrashMode } from "./helpers/sim-fs.js";
import { DATA_DIR, simFs } from "./helpers/workload.js";

// Every write, fsync, rename, unlink and mkdir of a workload is a crash point. At each, the
// process dies and the filesystem keeps only what was synced ("lose-unsynced"), everything
// ("keep-all"), or what was synced plus a seeded part of each file's unsynced tail ("torn").
// Reopened, the storage must hold exactly the state after some prefix of the calls that includes
// every acknowledged one: nothing acknowledged lost, nothing reordered, nothing invented.

const SEEDS = [1, 2, 3];
const CALLS = 40;
const MODES: CrashMode[] = ["lose-unsynced", "keep-all", "torn"];

test("crash points: after a crash at any operation of a workload, the storage holds a prefix with every acknowledged call", async () => {
  let points = 0;
  for (const seed of SEEDS) {
    const { calls, images } = makeWorkload(seed, CALLS);
    const clean = await simFs();
    assert.is(await runWorkload(clean, calls, seed), CALLS, "without a crash every call is acknowledged");
    const torn = new SeededRandom(seed + 2);
    for (let crashAt = 0; crashAt < clean.ops.length; crashAt++) {
      const fs = await simFs();
      fs.crashAt = crashAt;
      const acked = await runWorkload(fs, calls, seed);
      assert.ok(fs.hasCrashed, `seed ${seed}: the crash at ${crashAt} happened`);
      for (const mode of MODES) {
        const where = `seed ${seed}, crash at operation ${crashAt} (${clean.ops[crashAt]}), ${mode}`;
        const p = await FilePersister.open<string>(DATA_DIR, {
          fs: fs.afterCrash(mode, (unsynced) => torn.int(unsynced + 1)),
        });
        const found = image(p.load());
        await p.close();
        const prefix = images.findIndex((candidate, j) => j >= acked && sameImage(candidate, found));
        assert.ok(
          prefix >= 0,
          `${where}: ${acked} calls acknowledged, but the state is no prefix of the calls that holds them:\n` +
            JSON.stringify(found),
        );
        points++;
      }
    }
  }
  console.log(
    `  crash points checked: ${points} (${SEEDS.length} workloads of ${CALLS} calls, ${MODES.length} crash modes)`,
  );
});

function sameImage(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

test.run();
