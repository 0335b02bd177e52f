// Parse the API's duration strings ("90s", "5m", "1h30m", "500ms") into milliseconds.

const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * (UNIT[m[2] ?? ""] ?? 0);
  return total;
}
