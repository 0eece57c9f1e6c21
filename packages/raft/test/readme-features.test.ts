import { test } from "uvu";
import * as assert from "uvu/assert";
import { expectedOutput, readmeBlocks, runBlock } from "./helpers/readme-blocks.js";

const blocks = readmeBlocks("## Reads, events and leadership");

test("README: the reads, events and leadership section has examples", () => {
  assert.ok(blocks.length >= 2, `${blocks.length} blocks`);
});

blocks.forEach((block, i) => {
  const expected = expectedOutput(block);
  test(`README: reads, events and leadership example ${i + 1} prints ${expected.join(" / ")}`, () => {
    assert.ok(expected.length > 0, "the block has no // prints: lines");
    assert.equal(runBlock(block, `features-${i + 1}`), expected);
  });
});

test.run();
