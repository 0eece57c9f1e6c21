#!/usr/bin/env node
// Packs every publishable workspace package with `pnpm pack`, installs all the tarballs with
// plain npm into a fresh project outside the workspace, and checks that every entry of each
// package's `exports` map loads through ESM `import` and CJS `require`, and that its types
// resolve for TypeScript from both an ESM and a CJS file.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const PNPM = ["--yes", "pnpm@10.34.9"];
const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const typesNode = rootPkg.devDependencies["@types/node"];
const typescript = rootPkg.devDependencies.typescript;

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"] }).toString();

// Optional arguments name the package folders to check (default: all publishable ones).
const only = process.argv.slice(2);
const packages = readdirSync(join(root, "packages"))
  .filter((dir) => only.length === 0 || only.includes(dir))
  .map((dir) => ({
    dir: join(root, "packages", dir),
    pkg: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")),
  }))
  .filter(({ pkg }) => !pkg.private)
  .filter(({ dir }) => {
    if (!existsSync(join(dir, "dist"))) throw new Error(`smoke: ${dir} has no dist/ (run pnpm build first)`);
    return true;
  });

const work = mkdtempSync(join(tmpdir(), "raftkit-smoke-"));
const tarballs = join(work, "tarballs");
mkdirSync(tarballs);
for (const { dir } of packages) run("npx", [...PNPM, "pack", "--pack-destination", tarballs], dir);

const app = join(work, "app");
mkdirSync(app);
writeFileSync(
  join(app, "package.json"),
  JSON.stringify({ name: "smoke-app", private: true, type: "module" }),
);
const files = readdirSync(tarballs).map((f) => join(tarballs, f));
run(
  "npm",
  [
    "install",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...files,
    `typescript@${typescript}`,
    `@types/node@${typesNode}`,
  ],
  app,
);

const esm = [];
const cjs = [];
const tsImports = [];
for (const { pkg } of packages) {
  for (const sub of Object.keys(pkg.exports ?? { ".": {} })) {
    if (sub === "./package.json") continue;
    const spec = sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
    const id = `m${esm.length}`;
    esm.push(
      `import * as ${id} from "${spec}"; if (Object.keys(${id}).length === 0) throw new Error("${spec}: no ESM exports");`,
    );
    cjs.push(`if (Object.keys(require("${spec}")).length === 0) throw new Error("${spec}: no CJS exports");`);
    tsImports.push(spec);
  }
}
writeFileSync(
  join(app, "esm.mjs"),
  `${esm.join("\n")}\nconsole.log("esm ok: ${esm.length} entry points");\n`,
);
writeFileSync(
  join(app, "cjs.cjs"),
  `${cjs.join("\n")}\nconsole.log("cjs ok: ${cjs.length} entry points");\n`,
);
const tsBody = tsImports
  .map((s, i) => `import * as t${i} from "${s}";\nexport const k${i}: string[] = Object.keys(t${i});`)
  .join("\n");
writeFileSync(join(app, "types-esm.ts"), `${tsBody}\n`);
writeFileSync(join(app, "types-cjs.cts"), `${tsBody}\n`);
writeFileSync(
  join(app, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      module: "nodenext",
      moduleResolution: "nodenext",
      strict: true,
      noEmit: true,
      types: ["node"],
      skipLibCheck: false,
    },
    files: ["types-esm.ts", "types-cjs.cts"],
  }),
);
process.stdout.write(run("node", ["esm.mjs"], app));
process.stdout.write(run("node", ["cjs.cjs"], app));
run("node", [join(app, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], app);
console.log(`types ok: ${tsImports.length} entry points from ESM and CJS`);
// Every program a package ships must start from the installed package.
for (const { pkg } of packages) {
  for (const bin of Object.keys(pkg.bin ?? {})) {
    run(join(app, "node_modules", ".bin", bin), ["--help"], app);
    console.log(`bin ok: ${bin} --help`);
  }
}
console.log(`smoke ok: ${packages.map(({ pkg }) => pkg.name).join(", ")}`);
rmSync(work, { recursive: true, force: true });
