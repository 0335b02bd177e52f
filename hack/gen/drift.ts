// Compares freshly rendered files with what is on disk: the heart of `npm run verify`.
export interface Drift {
  /** Files whose content differs from what generation produces. */
  drifted: string[];
  /** Files generation produces that do not exist. */
  missing: string[];
  /** Generated-looking files that generation no longer produces (e.g. a removed kind). */
  stale: string[];
}

/**
 * @param expected path → content from renderAll()
 * @param read     the content on disk, or undefined when the file does not exist
 * @param existing the generated-looking files on disk (paths in the same form as `expected`)
 */
export function findDrift(
  expected: ReadonlyMap<string, string>,
  read: (path: string) => string | undefined,
  existing: readonly string[],
): Drift {
  const drift: Drift = { drifted: [], missing: [], stale: [] };
  for (const [path, content] of expected) {
    const actual = read(path);
    if (actual === undefined) drift.missing.push(path);
    else if (actual !== content) drift.drifted.push(path);
  }
  drift.stale = existing.filter((p) => !expected.has(p)).sort();
  return drift;
}

export function isClean(drift: Drift): boolean {
  return drift.drifted.length + drift.missing.length + drift.stale.length === 0;
}

/** A message that says what is wrong and what to do. */
export function describeDrift(drift: Drift): string {
  if (isClean(drift)) return "generated files are up to date";
  const section = (title: string, paths: string[]): string[] =>
    paths.length === 0 ? [] : [`${title}:`, ...paths.map((p) => `  ${p}`)];
  return [
    "generated files are out of date with src/api/schema:",
    ...section("drifted (content differs)", drift.drifted),
    ...section("missing", drift.missing),
    ...section("stale (no longer generated; delete them)", drift.stale),
    "run npm run gen and commit the result",
  ].join("\n");
}
