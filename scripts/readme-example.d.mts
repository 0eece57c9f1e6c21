/** Runs the first (or the `nth`, from 0) ```ts block of a package's README as a script and returns what it printed. */
export function runReadmeExample(packageDir: URL, nth?: number): string;
