import { packageBuild } from "../../tsup.base.js";

// The program (package.json "bin") and the few names a tool talking to its members needs.
export default packageBuild({ index: "src/index.ts", main: "src/main.ts" });
