import { test } from "uvu";
import * as assert from "uvu/assert";
import { CodecTable } from "../src/codecs.js";
import { MalformedMessageError } from "../src/index.js";
import { decodeMessage } from "../src/wire.js";
import { cbor } from "./raw-client.js";

// A refusal names the refusing member in `refusedBy`; peers from before that field send none.

const codecs = new CodecTable();
const decode = (value: unknown) => decodeMessage(cbor(value), codecs);

test("wire: a refusal without refusedBy (an older peer) decodes, naming no member", () => {
  const old = { t: "refuse", reason: "this is node 4, not node 0", code: "id" };
  const message = decode(old);
  assert.equal(message, old);
  assert.is(message.t === "refuse" && message.refusedBy, undefined);
  assert.equal(decode({ t: "refuse", reason: "no" }), { t: "refuse", reason: "no" });
});

test("wire: a refusal's refusedBy is the refusing member's id; anything else is malformed", () => {
  const message = decode({ t: "refuse", reason: "this is node 4, not node 0", code: "id", refusedBy: 4 });
  assert.is(message.t === "refuse" && message.refusedBy, 4);
  for (const refusedBy of ["4", -1, 1.5, null])
    assert.throws(
      () => decode({ t: "refuse", reason: "r", code: "id", refusedBy }),
      (error: unknown) => error instanceof MalformedMessageError,
      `refusedBy ${JSON.stringify(refusedBy)}`,
    );
});

test.run();
