import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { browserTestsEnabled, CHROMIUM, CHROMIUM_ARGS, openPage } from "../../../scripts/browser-page.mjs";
import { checkEventsVerbose, kvModel, type LinearizationInfo, writeVisualization } from "../src/index.js";
import { readDataFile } from "./helpers/data.js";
import { parseKvLog } from "./helpers/kv.js";

function sequenceLength(info: LinearizationInfo, partition: number, linearization: number): number {
  return info.partitions[partition]!.linearizations[linearization]!.length;
}

if (browserTestsEnabled("browser.test.ts")) {
  let browser: Browser;

  test.before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  test.after(async () => {
    await browser?.close();
  });

  test("the harness notices page errors and network requests (so a clean page means something)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "porcupine-probe-"));
    const path = join(dir, "broken.html");
    writeFileSync(
      path,
      '<img src="http://example.invalid/x.png"><script>console.error("bad"); null.x;</script>',
    );
    const { page, problems } = await openPage(browser, path);
    await page.close();
    assert.ok(
      problems.some((p) => p.startsWith("page error")),
      problems.join("; "),
    );
    assert.ok(
      problems.some((p) => p.startsWith("console: bad")),
      problems.join("; "),
    );
    assert.ok(
      problems.some((p) => p.startsWith("network request: http://example.invalid")),
      problems.join("; "),
    );
  });

  test("the page for kv/c10-bad renders every operation and each partition's linearization", async () => {
    const { info } = checkEventsVerbose(kvModel, parseKvLog(readDataFile("kv/c10-bad.txt")));
    const path = writeVisualization(kvModel, info);
    const { page, problems } = await openPage(browser, path);

    assert.match((await page.locator("h1").textContent()) ?? "", /not linearizable/);
    assert.is(await page.locator("section.partition").count(), info.partitions.length);
    assert.is(await page.locator("nav.index a.index-link.result-illegal").count(), 8);
    const total = info.partitions.reduce((sum, p) => sum + p.operations.length, 0);
    assert.is(await page.locator(".op").count(), total);
    assert.is(await page.locator("section.result-illegal").count(), 8);
    assert.is(await page.locator("section.result-ok").count(), 2);

    for (let i = 0; i < info.partitions.length; i++) {
      const section = page.locator(`#partition-${i}`);
      const expected = sequenceLength(info, i, 0);
      assert.is(await section.locator("li.step").count(), expected, `partition ${i} steps`);
      assert.is(await section.locator(".op.in-linearization").count(), expected, `partition ${i} boxes`);
    }
    // A linearizable key shows a complete linearization; its last step's state is what a final get read.
    const ok = page.locator("section.result-ok").first();
    assert.match((await ok.locator(".note").textContent()) ?? "", /Every operation is linearized/);
    assert.equal(problems, []);
    await page.close();
  });

  test("clicking an operation selects the longest partial linearization containing it", async () => {
    const { info } = checkEventsVerbose(kvModel, parseKvLog(readDataFile("kv/c50-ok.txt")));
    const path = writeVisualization(kvModel, info);
    const { page, problems } = await openPage(browser, path);
    const p = info.partitions.findIndex((partition) => partition.linearizations.length > 0);
    const partition = info.partitions[p]!;
    // Pick an operation whose longest linearization is not the one shown first, if there is one.
    let op = partition.longest.findIndex((index) => index > 0);
    if (op < 0) op = 0;
    const section = page.locator(`#partition-${p}`);
    await section.locator(`.op[data-op="${op}"]`).click();
    const chosen = partition.longest[op]!;
    assert.is(await section.locator("li.step").count(), sequenceLength(info, p, chosen));
    assert.is(await section.locator(`.op[data-op="${op}"].in-linearization`).count(), 1);
    const first = await section.locator("li.step").first().textContent();
    const firstOp = partition.operations[partition.linearizations[chosen]![0]!]!;
    assert.ok(first?.startsWith(kvModel.describeOperation!(firstOp.input, firstOp.output)), first ?? "");
    assert.equal(problems, []);
    await page.close();
  });
}

test.run();
