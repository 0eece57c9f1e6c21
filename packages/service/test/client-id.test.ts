import { simTest } from "@raftkit/labrpc";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { newClientId } from "../src/index.js";

test("client ids from the system's randomness are 21 url-safe characters, and differ", () => {
  const [a, b] = [newClientId(), newClientId()];
  assert.match(a, /^[A-Za-z0-9_-]{21}$/);
  assert.is.not(a, b);
});

test(
  "client ids drawn from an injected Random replay with the seed",
  simTest(async (sim) => {
    const ids = [newClientId(sim.random), newClientId(sim.random)];
    assert.is.not(ids[0], ids[1]);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{21}$/);
  }),
);

test.run();
