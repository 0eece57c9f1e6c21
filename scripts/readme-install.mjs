// Reads a package README's "## Install" section: the tarballs its `npm install` line names, its
// ```js (ESM) and ```cjs (CommonJS) examples, and the output it says they print (the ``` block
// after a line "Both print"). scripts/smoke-pack.mjs runs the section as a user would.

/** @param {string} readme @param {string} name the package, for error messages */
export function installSection(readme, name) {
  const start = readme.indexOf("\n## Install\n");
  if (start < 0) throw new Error(`${name}: the README has no "## Install" section`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1], code: m[2] }));
  const tarballs = blocks
    .filter((b) => b.kind === "sh")
    .flatMap((b) => b.code.split("\n").filter((line) => /^npm install /.test(line)))
    .flatMap((line) => line.split(/\s+/).filter((word) => word.endsWith(".tgz")))
    .map((path) => path.slice(path.lastIndexOf("/") + 1));
  const examples = blocks.filter((b) => b.kind === "js" || b.kind === "cjs");
  const prints = /\nBoth print\n\n```\n([\s\S]*?)```/.exec(section)?.[1];
  return { tarballs, examples, prints };
}
