// Runs the first (or the `nth`, from 0) ```ts block of a package's README as a script and returns what it printed.
// The file is written inside the package, so the package's own name resolves (to its build)
// through its exports map, and is named per process, so parallel runs do not collide.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

/** @param {URL} packageDir the package folder, ending in a slash; @param {number} [nth] which ts block */
export function runReadmeExample(packageDir, nth = 0) {
  const readme = readFileSync(new URL("README.md", packageDir), "utf8");
  const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)][nth]?.[1];
  if (!example) throw new Error(`${packageDir.pathname}README.md has no ts example number ${nth}`);
  const file = new URL(`readme-example-${process.pid}.mts`, packageDir);
  writeFileSync(file, example);
  try {
    const env = { ...process.env, FORCE_COLOR: "0" };
    return execFileSync(process.execPath, ["--import", "tsx", file.pathname], { encoding: "utf8", env });
  } finally {
    rmSync(file, { force: true });
  }
}
