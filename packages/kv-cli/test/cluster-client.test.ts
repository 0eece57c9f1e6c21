import { FrameSizeError } from "@raftkit/transport-tcp";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ClusterClient } from "../src/cluster-client.js";
import { ValueTooLargeError } from "../src/errors.js";

// No member is contacted: each operation fails at once, before the first look at the cluster.
const options = { peers: ["127.0.0.1:1"], cluster: "raftkit", timeoutMs: 5000, maxMessageBytes: 1024 };

test("a request over the frame limit, or a member's refusal of a value too large, becomes ValueTooLargeError", async () => {
  const client = new ClusterClient(options);
  try {
    const frame = await client
      .run(() => Promise.reject(new FrameSizeError(5000, 1024)))
      .catch((e: unknown) => e);
    assert.instance(frame, ValueTooLargeError);
    assert.is(
      (frame as Error).message.split(". ")[0],
      "value too large: 5000 bytes is over the limit of 1024 bytes",
    );
    const refusal = Object.assign(new Error("value too large"), {
      name: "ValueTooLargeError",
      sizeBytes: 3 * 1024 * 1024,
      limitBytes: 1024 * 1024,
    });
    const refused = await client.run(() => Promise.reject(refusal)).catch((e: unknown) => e);
    assert.instance(refused, ValueTooLargeError);
    assert.match(
      (refused as Error).message,
      "3.0 MiB (3145728 bytes) is over the limit of 1.0 MiB (1048576 bytes) (refused by the cluster). Store it in pieces of at most that size.",
    );
    const other = new Error("something else");
    assert.is(await client.run(() => Promise.reject(other)).catch((e: unknown) => e), other);
  } finally {
    await client.close();
  }
});

test.run();
