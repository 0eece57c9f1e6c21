import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { LinearizationInfo } from "../info.js";
import type { Model } from "../model.js";
import { visualize } from "./html.js";

/**
 * Writes `visualize(model, info)` to `path` (default: a new file in a fresh temporary directory) and returns
 * the absolute path, for a failing test to print.
 */
export function writeVisualization<S, I, O>(
  model: Model<S, I, O>,
  info: LinearizationInfo<I, O>,
  path?: string,
): string {
  const target = resolve(path ?? join(mkdtempSync(join(tmpdir(), "porcupine-")), "history.html"));
  writeFileSync(target, visualize(model, info), "utf8");
  return target;
}
