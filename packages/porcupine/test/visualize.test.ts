import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkOperationsVerbose, kvModel, visualize, writeVisualization } from "../src/index.js";
import { buildVisualData } from "../src/visualize/data.js";
import { append, get, put } from "./helpers/history.js";

const history = [
  put("a", "1", 0, 10, 0),
  get("a", "1", 1, 2, 1),
  append("b", "x", 0, 3, undefined, 0),
  get("b", "y", 4, 5, 1),
];

test("the page is self-contained: inline data, script and style, no external references", () => {
  const { info } = checkOperationsVerbose(kvModel, history);
  const html = visualize(kvModel, info);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<script type="application\/json" id="porcupine-data">/);
  assert.not.match(html, /\b(src|href)\s*=/i);
  assert.not.match(html, /https?:\/\//);
  assert.not.match(html, /@import|url\(/);
});

test("values that look like markup cannot break out of the embedded JSON", () => {
  const tricky = [put("k", "</script><script>alert(1)</script><!--", 0, 1)];
  const html = visualize(kvModel, checkOperationsVerbose(kvModel, tricky).info);
  assert.is(html.split("</script>").length - 1, 2, "only the two real closing tags");
  const json = /id="porcupine-data">(.*?)<\/script>/s.exec(html)![1]!;
  const data = JSON.parse(json) as { partitions: { operations: { description: string }[] }[] };
  assert.is(
    data.partitions[0]!.operations[0]!.description,
    "put('k', '</script><script>alert(1)</script><!--')",
  );
});

test("visual data: lanes per client, entry positions, and linearizations as a trie with states", () => {
  const { info } = checkOperationsVerbose(kvModel, history);
  const data = buildVisualData(kvModel, info);
  assert.is(data.result, "illegal");
  const [a, b] = data.partitions;
  assert.equal(a!.lanes, ["client 0", "client 1"]);
  assert.equal(
    a!.operations.map((op) => [op.lane, op.start, op.end]),
    [
      [0, 0, 3],
      [1, 1, 2],
    ],
  );
  // key a: put then get, states '1' and '1'.
  const states = (p: typeof a, node: number): string[] => {
    const out: string[] = [];
    for (let n = node; n >= 0; n = p!.trieParent[n]!) out.unshift(data.states[p!.trieState[n]!]!);
    return out;
  };
  assert.equal(states(a, a!.linearizations[0]!), ["'1'", "'1'"]);
  assert.is(b!.result, "illegal");
  assert.equal(states(b, b!.linearizations[0]!), ["'x'"]);
  assert.equal(b!.longest, [0, -1]);
});

test("operations without client ids are packed into lanes", () => {
  const anonymous = [put("a", "1", 0, 10), get("a", "1", 1, 2), get("a", "1", 3, 4), get("a", "1", 11, 12)];
  const data = buildVisualData(kvModel, checkOperationsVerbose(kvModel, anonymous).info);
  assert.equal(
    data.partitions[0]!.operations.map((op) => op.lane),
    [0, 1, 1, 0],
  );
});

test("writeVisualization writes the page and returns its path", () => {
  const { info } = checkOperationsVerbose(kvModel, history);
  const path = writeVisualization(kvModel, info);
  assert.match(path, /porcupine-.*history\.html$/);
  assert.is(readFileSync(path, "utf8"), visualize(kvModel, info));
});

test.run();
