import { test } from "uvu";
import { MemoryPersister } from "../src/index.js";
import { storageConformance } from "../src/testkit/index.js";

// The same suite runs against @raftkit/persister-file's FilePersister.
for (const c of storageConformance(() => ({
  open: async () => new MemoryPersister<string>(),
  reopen: async (p: MemoryPersister<string>) => p.copy(),
  dispose: () => {},
}))) {
  test(c.name, c.run);
}

test.run();
