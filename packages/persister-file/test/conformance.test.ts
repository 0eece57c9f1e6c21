import { storageConformance } from "@raftkit/raft/testkit";
import { test } from "uvu";
import { FilePersister } from "../src/index.js";
import { tempDir } from "./helpers.js";

// The suite MemoryPersister passes, against files: reopening is a close and a fresh open.
for (const c of storageConformance(() => {
  const { dir, dispose } = tempDir();
  return {
    open: () => FilePersister.open<string>(dir),
    reopen: async (p: FilePersister<string>) => {
      await p.close();
      return FilePersister.open<string>(dir);
    },
    dispose,
  };
})) {
  test(c.name, c.run);
}

test.run();
