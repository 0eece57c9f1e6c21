export interface InstallSection {
  /** File names of the tarballs the section's `npm install` lines name. */
  tarballs: string[];
  examples: { kind: "js" | "cjs"; code: string }[];
  /** What the examples print, when the section says. */
  prints: string | undefined;
}
export function installSection(readme: string, name: string): InstallSection;
