import { packageBuild } from "../../tsup.base.js";

export default packageBuild({ index: "src/index.ts", "testkit/index": "src/testkit/index.ts" });
