// Agents often wrap JSON in prose or a ```json fence; the API says fences are stripped. We parse the
// whole (trimmed) answer first, then the first fenced block that parses.

export type Extracted = { ok: true; value: unknown; source: "whole" | "fence" } | { ok: false; error: string };

/** Fenced blocks examined at most (bounds the work on a pathological answer). */
const MAX_FENCES = 16;

export function extractJson(output: string): Extracted {
  const whole = tryParse(output.trim());
  if (whole.ok) return { ok: true, value: whole.value, source: "whole" };
  let seen = 0;
  let jsonFenceError: string | undefined;
  for (const fence of fences(output)) {
    if (++seen > MAX_FENCES) break;
    if (fence.lang !== "" && fence.lang !== "json") continue;
    const parsed = tryParse(fence.body.trim());
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

/** Fenced blocks, scanned with indexOf (linear; a backtracking regex is quadratic on a long line of backticks). */
function* fences(text: string): Generator<{ lang: string; body: string }> {
  let pos = 0;
  for (;;) {
    const open = text.indexOf("```", pos);
    if (open < 0) return;
    const lineEnd = text.indexOf("\n", open + 3);
    if (lineEnd < 0) return;
    const close = text.indexOf("```", lineEnd + 1);
    if (close < 0) return;
    const lang = (text.slice(open + 3, lineEnd).trim().split(/\s/)[0] ?? "").toLowerCase();
    yield { lang, body: text.slice(lineEnd + 1, close) };
    pos = close + 3;
  }
}
