import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

const PACKAGE_DIR = new URL("../../", import.meta.url);

/** The ```ts blocks of the README's section that starts with the heading `heading`. */
export function readmeBlocks(heading: string): string[] {
  const readme = readFileSync(new URL("README.md", PACKAGE_DIR), "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no heading "${heading}"`);
  const level = heading.split(" ")[0]!;
  const rest = readme.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n${level} `));
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** What a block says it prints: its `// prints: ...` comments, in order. */
export function expectedOutput(block: string): string[] {
  return [...block.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!.trim());
}

/** Runs a block as an ES module inside the package (so `@raftkit/raft` resolves to the build). */
export function runBlock(block: string, name: string): string[] {
  const file = new URL(`readme-${name}-${process.pid}.mts`, PACKAGE_DIR);
  writeFileSync(file, block);
  try {
    const env = { ...process.env, FORCE_COLOR: "0" };
    const out = execFileSync(process.execPath, ["--import", "tsx", file.pathname], {
      encoding: "utf8",
      env,
      timeout: 60_000,
    });
    return out.split("\n").filter((line) => line.trim() !== "");
  } finally {
    rmSync(file, { force: true });
  }
}
