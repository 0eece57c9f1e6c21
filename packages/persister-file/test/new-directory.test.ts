import { test } from "uvu";
import * as assert from "uvu/assert";
import { FilePersister } from "../src/index.js";
import { entry } from "./helpers/temp-dir.js";
import { DATA_DIR, simFs } from "./helpers/workload.js";

test("a data directory created by open() survives a crash: its parent is fsync'd", async () => {
  // Only /srv/raft exists; open() creates /srv/raft/node-0 (and /srv/raft/node-0/deeper).
  for (const dir of [DATA_DIR, `${DATA_DIR}/deeper`]) {
    const fs = await simFs({ dataDir: false });
    const p = await FilePersister.open<string>(dir, { fs });
    await Promise.all([p.saveHardState({ term: 2, votedFor: 1 }), p.appendEntries(1, [entry(2, "acked")])]);
    const after = fs.afterCrash("lose-unsynced");
    const reopened = await FilePersister.open<string>(dir, { fs: after });
    const loaded = reopened.load();
    assert.equal(loaded?.hardState, { term: 2, votedFor: 1 }, dir);
    assert.equal(loaded?.entries, [entry(2, "acked")], dir);
    await reopened.close();
  }
});

test.run();
