// What every package of the workspace must say about itself: its licence, and the Node versions it
// really runs on (`engines`), checked against what it uses and what it depends on.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { subset } from "semver";
import { test } from "uvu";
import * as assert from "uvu/assert";

interface PackageJson {
  name: string;
  private?: boolean;
  files?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}

const root = new URL("../../", import.meta.url).pathname;
const read = (dir: string): PackageJson => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const workspace = ["packages", "apps"].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => ({
    dir: join(root, group, name),
    pkg: read(join(root, group, name)),
  })),
);
const byName = new Map(workspace.map((entry) => [entry.pkg.name, entry]));
/** Node versions with `zlib.crc32`: it came in 20.15.0 and 22.2.0 (not in 21). */
const WITH_CRC32 = "^20.15.0 || >=22.2.0";

/** Source files (src/**) of a package, concatenated. */
function sources(dir: string): string {
  const walk = (at: string): string[] =>
    readdirSync(at, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(at, entry.name)) : [readFileSync(join(at, entry.name), "utf8")],
    );
  return existsSync(join(dir, "src")) ? walk(join(dir, "src")).join("\n") : "";
}

test("the root LICENSE is MIT, and every package carries the same file and lists it in `files`", () => {
  const licence = readFileSync(join(root, "LICENSE"), "utf8");
  assert.match(licence, /^MIT License\n/);
  for (const { dir, pkg } of workspace) {
    assert.is(
      readFileSync(join(dir, "LICENSE"), "utf8"),
      licence,
      `${pkg.name}: LICENSE differs from the root's`,
    );
    if (!pkg.private) assert.ok(pkg.files?.includes("LICENSE"), `${pkg.name}: "LICENSE" missing from files`);
  }
});

test("a package depends on another of the workspace by its exact version, never a workspace: range", () => {
  for (const { pkg } of workspace) {
    const all = {
      ...pkg.dependencies,
      ...(pkg as { devDependencies?: Record<string, string> }).devDependencies,
    };
    for (const [dependency, range] of Object.entries(all)) {
      assert.not.match(
        range,
        /^workspace:/,
        `${pkg.name} -> ${dependency}: ${range} (npm pack would keep it)`,
      );
      const target = byName.get(dependency)?.pkg as { version?: string } | undefined;
      if (target)
        assert.is(range, target.version, `${pkg.name} -> ${dependency}: ${range}, not ${target.version}`);
    }
  }
});

test("every package states its Node versions, and they fit within each raftkit package it depends on", () => {
  for (const { pkg } of workspace) {
    const range = pkg.engines?.node;
    assert.ok(range, `${pkg.name}: no engines.node`);
    for (const dependency of Object.keys(pkg.dependencies ?? {})) {
      const needed = byName.get(dependency)?.pkg.engines?.node;
      if (needed === undefined) continue;
      assert.ok(subset(range, needed), `${pkg.name} says node ${range}, but ${dependency} needs ${needed}`);
    }
  }
});

test("a package that uses zlib.crc32 asks for a Node that has it (20.15+ or 22.2+)", () => {
  let users = 0;
  for (const { dir, pkg } of workspace) {
    if (!/\bcrc32\b[^;]*from "node:zlib"/.test(sources(dir))) continue;
    users++;
    const range = pkg.engines?.node ?? "*";
    assert.ok(subset(range, WITH_CRC32), `${pkg.name} uses zlib.crc32 but says node ${range}`);
  }
  assert.ok(users >= 1, "no package uses zlib.crc32: this check no longer checks anything");
});

test("the repository's own engines fit every package, since it builds and tests them all", () => {
  const range = read(root).engines?.node ?? "*";
  for (const { pkg } of workspace) {
    const needed = pkg.engines?.node ?? "*";
    assert.ok(subset(range, needed), `the root says node ${range}, but ${pkg.name} needs ${needed}`);
  }
});

test.run();
