import { packageBuild } from "../../tsup.base.js";

// An application: ESM only, no type declarations.
export default packageBuild(["src/main.ts"], { format: ["esm"], dts: false });
