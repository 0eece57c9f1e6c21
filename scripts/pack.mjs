#!/usr/bin/env node
// Packs every publishable package (packages/*, not private) into one folder, with npm or pnpm,
// and checks what was packed: no `workspace:` range left, and the licence, README and build in.
// The packages are not on the npm registry yet; these tarballs are how a user installs them.
//
//   node scripts/pack.mjs [--tool npm|pnpm] [DEST]     (default: npm, ./tarballs; build first)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

export const root = resolve(import.meta.dirname, "..");
const PNPM = ["--yes", "pnpm@10.34.9"];
const REQUIRED_FILES = ["package/package.json", "package/README.md", "package/LICENSE"];

/** The publishable packages: `{ dir, pkg }` for each non-private folder of packages/. */
export function publishable() {
  return readdirSync(join(root, "packages"))
    .map((name) => ({ dir: join(root, "packages", name) }))
    .map(({ dir }) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ pkg }) => !pkg.private);
}

/** The tarball's file name for a package, as both npm and pnpm write it. */
export const tarballName = (pkg) => `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`;

/** The raftkit packages `name` needs at run time, itself included, in install order. */
export function closure(name, byName) {
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n)) return;
    for (const dep of Object.keys(byName.get(n).pkg.dependencies ?? {})) if (byName.has(dep)) visit(dep);
    seen.add(n);
  };
  visit(name);
  return [...seen];
}

/** Reads `package/package.json` out of a tarball and lists its files. */
export function inspectTarball(tarball) {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
  const manifest = JSON.parse(
    execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
  );
  return { files, manifest };
}

/** Packs each package with `tool` into `dest`; throws naming the package if a tarball is wrong. */
export function packAll({ tool = "npm", dest, packages = publishable() }) {
  mkdirSync(dest, { recursive: true });
  return packages.map(({ dir, pkg }) => {
    if (!existsSync(join(dir, "dist"))) throw new Error(`${pkg.name}: no dist/ (build first)`);
    const [cmd, args] = tool === "pnpm" ? ["npx", [...PNPM, "pack"]] : ["npm", ["pack", "--silent"]];
    execFileSync(cmd, [...args, "--pack-destination", dest], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = join(dest, tarballName(pkg));
    const { files, manifest } = inspectTarball(tarball);
    const missing = REQUIRED_FILES.filter((f) => !files.includes(f));
    if (!files.some((f) => f.startsWith("package/dist/"))) missing.push("package/dist/");
    if (missing.length > 0) throw new Error(`${pkg.name} (${tool} pack): missing ${missing.join(", ")}`);
    const left = JSON.stringify(manifest).match(/"[^"]*":"workspace:[^"]*"/g);
    if (left) throw new Error(`${pkg.name} (${tool} pack): workspace ranges left: ${left.join(", ")}`);
    return { dir, pkg, tarball, manifest };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tool: { type: "string", default: "npm" } },
  });
  if (!["npm", "pnpm"].includes(values.tool)) {
    console.error(`pack: --tool is npm or pnpm, got ${values.tool}`);
    process.exit(2);
  }
  const dest = resolve(positionals[0] ?? join(root, "tarballs"));
  for (const { tarball } of packAll({ tool: values.tool, dest })) console.log(tarball);
}
