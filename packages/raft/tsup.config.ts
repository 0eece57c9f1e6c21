import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", "testkit/index": "src/testkit/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
