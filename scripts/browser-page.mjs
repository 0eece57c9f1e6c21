// Opens a local HTML file in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core, which each test imports itself) and records every console error or warning,
// page error and network request: a clean page records nothing.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Whether to run browser tests: Chromium is installed, or CI is set (then a missing one fails). */
export function browserTestsEnabled(file) {
  const available = existsSync(CHROMIUM);
  if (!available && !process.env.CI) {
    console.warn(
      `${file}: SKIPPED: ${CHROMIUM} not found and CI is not set; install the Debian package ` +
        "'chromium' to run it (in CI it always runs).",
    );
  }
  return available || Boolean(process.env.CI);
}

/** Loads the page at `path`, recording console errors/warnings, page errors and network requests. */
export async function openPage(browser, path) {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
  return { page, problems };
}
