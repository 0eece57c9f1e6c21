/** Runs the first ```ts block of a package's README as a script and returns what it printed. */
export function runReadmeExample(packageDir: URL): string;
