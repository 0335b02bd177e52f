// Agents often wrap JSON in prose or a ```json fence; the API says fences are stripped. We parse the
// whole (trimmed) answer first, then the first fenced block that parses.

export type Extracted = { ok: true; value: unknown; source: "whole" | "fence" } | { ok: false; error: string };

const FENCE = /```[ \t]*([A-Za-z0-9_-]*)[^\n]*\n([\s\S]*?)```/g;
/** Fenced blocks examined at most (bounds the work on a pathological answer). */
const MAX_FENCES = 16;

export function extractJson(output: string): Extracted {
  const whole = tryParse(output.trim());
  if (whole.ok) return { ok: true, value: whole.value, source: "whole" };
  let seen = 0;
  let jsonFenceError: string | undefined;
  for (const m of output.matchAll(FENCE)) {
    if (++seen > MAX_FENCES) break;
    const lang = (m[1] ?? "").toLowerCase();
    if (lang !== "" && lang !== "json") continue;
    const parsed = tryParse((m[2] ?? "").trim());
    if (parsed.ok) return { ok: true, value: parsed.value, source: "fence" };
    jsonFenceError ??= parsed.error;
  }
  return {
    ok: false,
    error: jsonFenceError !== undefined
      ? `the \`\`\`json block is not valid JSON (${jsonFenceError})`
      : `the answer is not JSON and has no \`\`\`json block (${whole.error})`,
  };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
