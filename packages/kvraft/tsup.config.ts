import { packageBuild } from "../../tsup.base.js";

// The library, and the raftkit-kv program (package.json "bin") beside it.
export default packageBuild({ index: "src/index.ts", "cli/main": "src/cli/main.ts" });
