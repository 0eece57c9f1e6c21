#!/usr/bin/env node
// The packages as a user gets them. Packs every publishable package with npm and with pnpm (the
// two manifests must agree, with no `workspace:` left), then, for each package, installs its
// tarball with plain npm into a fresh project outside the workspace, alone but for the raftkit
// tarballs it depends on (so an undeclared dependency fails), and there:
// - loads every entry of its `exports` map through ESM `import` and CJS `require`;
// - runs its README's install section as written: the `npm install` line must name exactly these
//   tarballs, and its ```js (ESM) and ```cjs (CommonJS) examples must print what it shows;
// - starts each program it ships (`--help`).
// Finally one project with every tarball checks that the types resolve from ESM and CJS files.
import { execFile as execFileCb, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { closure, packAll, publishable, root } from "./pack.mjs";
import { installSection } from "./readme-install.mjs";

const execFile = promisify(execFileCb);
const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const NPM_INSTALL = ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"];

// Optional arguments name the package folders to check (default: all publishable ones).
const only = process.argv.slice(2);
const packages = publishable().filter(({ dir }) => only.length === 0 || only.includes(basename(dir)));
const work = mkdtempSync(join(tmpdir(), "raftkit-smoke-"));

const packed = packAll({ dest: join(work, "npm"), packages: publishable() });
const byName = new Map(packed.map((p) => [p.pkg.name, p]));
for (const viaPnpm of packAll({ tool: "pnpm", dest: join(work, "pnpm"), packages })) {
  const { manifest } = byName.get(viaPnpm.pkg.name);
  for (const field of [
    "dependencies",
    "peerDependencies",
    "optionalDependencies",
    "engines",
    "exports",
    "bin",
  ]) {
    const [a, b] = [JSON.stringify(manifest[field]), JSON.stringify(viaPnpm.manifest[field])];
    if (a !== b)
      throw new Error(`${viaPnpm.pkg.name}: npm pack and pnpm pack disagree on ${field}: ${a} vs ${b}`);
  }
}
console.log(`packed ok: ${packed.length} packages with npm and pnpm, no workspace: ranges`);

function entryChecks(pkg) {
  const esm = [];
  const cjs = [];
  for (const sub of Object.keys(pkg.exports ?? { ".": {} })) {
    if (sub === "./package.json") continue;
    const spec = sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
    esm.push(
      `if (Object.keys(await import("${spec}")).length === 0) throw new Error("${spec}: no ESM exports");`,
    );
    cjs.push(`if (Object.keys(require("${spec}")).length === 0) throw new Error("${spec}: no CJS exports");`);
  }
  return { esm: esm.join("\n"), cjs: cjs.join("\n"), count: esm.length };
}

/** One package in a project of its own: install, entry points, README install section, programs. */
async function checkAlone({ pkg, dir }) {
  const app = join(work, `alone-${basename(dir)}`);
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "smoke-app", private: true, type: "module" }),
  );
  const tarballs = closure(pkg.name, byName).map((name) => byName.get(name).tarball);
  const section = installSection(readFileSync(join(dir, "README.md"), "utf8"), pkg.name);
  const named = section.tarballs.toSorted().join(" ");
  const needed = tarballs
    .map((t) => basename(t))
    .toSorted()
    .join(" ");
  if (named !== needed)
    throw new Error(`${pkg.name}: the README installs ${named || "nothing"}, it needs ${needed}`);
  await execFile("npm", [...NPM_INSTALL, ...tarballs], { cwd: app });
  const { esm, cjs, count } = entryChecks(pkg);
  writeFileSync(join(app, "entries.mjs"), esm);
  writeFileSync(join(app, "entries.cjs"), cjs);
  await execFile("node", ["entries.mjs"], { cwd: app });
  await execFile("node", ["entries.cjs"], { cwd: app });
  for (const [i, example] of section.examples.entries()) {
    const file = `readme-${i}.${example.kind === "cjs" ? "cjs" : "mjs"}`;
    writeFileSync(join(app, file), example.code);
    const { stdout } = await execFile("node", [file], {
      cwd: app,
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    if (section.prints !== undefined && stdout !== section.prints) {
      throw new Error(
        `${pkg.name}: README ${example.kind} example printed\n${stdout}instead of\n${section.prints}`,
      );
    }
  }
  for (const bin of Object.keys(pkg.bin ?? {}))
    await execFile(join(app, "node_modules", ".bin", bin), ["--help"]);
  const bins = Object.keys(pkg.bin ?? {}).length;
  return `${pkg.name}: alone ok (${count} entry points, ${section.examples.length} README examples, ${bins} programs)`;
}

// A few at a time: each is mostly npm waiting on its cache.
const queue = [...packages];
const lanes = Array.from({ length: 3 }, async () => {
  for (let next = queue.shift(); next; next = queue.shift()) console.log(await checkAlone(next));
});
await Promise.all(lanes);

const app = join(work, "types");
mkdirSync(app);
writeFileSync(
  join(app, "package.json"),
  JSON.stringify({ name: "smoke-types", private: true, type: "module" }),
);
const typescript = `typescript@${rootPkg.devDependencies.typescript}`;
const typesNode = `@types/node@${rootPkg.devDependencies["@types/node"]}`;
await execFile("npm", [...NPM_INSTALL, ...packed.map((p) => p.tarball), typescript, typesNode], { cwd: app });
const specs = packages.flatMap(({ pkg }) =>
  Object.keys(pkg.exports ?? { ".": {} })
    .filter((sub) => sub !== "./package.json")
    .map((sub) => (sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`)),
);
const tsBody = specs
  .map((s, i) => `import * as t${i} from "${s}";\nexport const k${i}: string[] = Object.keys(t${i});`)
  .join("\n");
writeFileSync(join(app, "types-esm.ts"), `${tsBody}\n`);
writeFileSync(join(app, "types-cjs.cts"), `${tsBody}\n`);
const compilerOptions = {
  module: "nodenext",
  moduleResolution: "nodenext",
  strict: true,
  noEmit: true,
  types: ["node"],
};
writeFileSync(
  join(app, "tsconfig.json"),
  JSON.stringify({ compilerOptions, files: ["types-esm.ts", "types-cjs.cts"] }),
);
execFileSync("node", [join(app, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
  cwd: app,
  stdio: "inherit",
});
console.log(`types ok: ${specs.length} entry points from ESM and CJS`);
console.log(`smoke ok: ${packages.map(({ pkg }) => pkg.name).join(", ")}`);
rmSync(work, { recursive: true, force: true });
