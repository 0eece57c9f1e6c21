import { storageConformance } from "@raftkit/raft/testkit";
import { test } from "uvu";
import { FilePersister } from "../src/index.js";
import { tempDir } from "./helpers/temp-dir.js";

// The suite MemoryPersister passes, against files: reopening is a close and a fresh open.
for (const c of storageConformance(() => {
  const { dir, dispose } = tempDir();
  let current: FilePersister<string> | undefined;
  const open = async () => {
    current = await FilePersister.open<string>(dir);
    return current;
  };
  return {
    open,
    reopen: async (p: FilePersister<string>) => {
      await p.close();
      return open();
    },
    dispose: async () => {
      await current?.close();
      dispose();
    },
  };
})) {
  test(c.name, c.run);
}

test.run();
