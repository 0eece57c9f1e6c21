import { defineConfig, type Options } from "tsup";

/** The build every raftkit package shares: ESM + CJS + .d.ts for each entry, for Node 20. */
export function packageBuild(entry: NonNullable<Options["entry"]>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    ...overrides,
  });
}
