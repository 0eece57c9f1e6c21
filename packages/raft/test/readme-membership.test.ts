import { test } from "uvu";
import * as assert from "uvu/assert";
import { expectedOutput, readmeBlocks, runBlock } from "./helpers/readme-blocks.js";

const blocks = readmeBlocks("## Membership changes");

blocks.forEach((block, i) => {
  const expected = expectedOutput(block);
  test(`README: membership example ${i + 1} prints ${expected.join(" / ")}`, () => {
    assert.ok(expected.length > 0, "the block has no // prints: lines");
    assert.equal(runBlock(block, `membership-${i + 1}`), expected);
  });
});

test("README: the membership section has an example", () => {
  assert.ok(blocks.length >= 1);
});

test.run();
