import { packageBuild } from "../../tsup.base.js";

// The program (package.json "bin"), the few names a tool talking to its members needs, and the
// testkit that starts members as processes (CJS needs the import.meta.url shim it uses).
export default packageBuild(
  { index: "src/index.ts", main: "src/main.ts", "testkit/index": "src/testkit/index.ts" },
  { shims: true },
);
