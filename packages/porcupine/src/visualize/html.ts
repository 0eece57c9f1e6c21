import type { LinearizationInfo } from "../info.js";
import type { Model } from "../model.js";
import { CLIENT_SCRIPT } from "./client.js";
import { buildVisualData } from "./data.js";
import { STYLE } from "./style.js";

/**
 * A self-contained HTML page (inline data, script and style; no network assets) showing each partition's
 * operations on a time axis and its partial linearizations, with the state after every step.
 * `info` comes from `checkOperationsVerbose` / `checkEventsVerbose`.
 */
export function visualize<S, I, O>(model: Model<S, I, O>, info: LinearizationInfo<I, O>): string {
  const data = buildVisualData(model, info);
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>porcupine: ${escapeHtml(data.model)} history is ${data.result}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    '<main id="porcupine-root"></main>',
    `<script type="application/json" id="porcupine-data">${embedJson(data)}</script>`,
    `<script>${CLIENT_SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** JSON that is safe inside a <script> element: no "<" (so no "</script>" or "<!--"). */
function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
