import { PeerLinkError } from "@raftkit/transport-tcp";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { memberAtAddress } from "../src/endpoints.js";

// Which member answered at an address comes from the refusal's `refusedBy` field, never its text.

const refusal = (refusedBy?: number) =>
  new PeerLinkError("wrong-id", 0, "127.0.0.1:7001", "refused us: this is node 4, not node 0", refusedBy);

test("memberAtAddress: the member a wrong-id refusal names in refusedBy", () => {
  assert.is(memberAtAddress(refusal(4)), 4);
  assert.is(memberAtAddress(refusal(0)), 0);
});

test("memberAtAddress: nothing from an older member's refusal, whatever its text says", () => {
  assert.is(memberAtAddress(refusal(undefined)), undefined);
});

test("memberAtAddress: nothing from a failure other than wrong-id, or none", () => {
  assert.is(
    memberAtAddress(new PeerLinkError("refused", 0, "127.0.0.1:7001", "refused us: no", 4)),
    undefined,
  );
  assert.is(memberAtAddress(undefined), undefined);
});

test.run();
