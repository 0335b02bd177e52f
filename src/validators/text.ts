// Bounded text: feedback goes into Execution status (iterations[].feedback ≤ 2048 characters) and
// into the next iteration's prompt, so every string we produce has a hard ceiling.

/** Ceiling of one validator's feedback (the status field's maxLength). */
export const MAX_FEEDBACK = 2048;

const MARK = "…";

/** Cut `text` to at most `max` characters, never splitting a surrogate pair, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= MARK.length) return MARK.slice(0, Math.max(0, max));
  return safeSlice(text, 0, max - MARK.length) + MARK;
}

/** Keep the head and the tail of `text` (the end of an answer often holds its conclusion). */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `\n…[${text.length - max} characters omitted]…\n`;
  if (max <= marker.length + 2) return truncate(text, max);
  const keep = max - marker.length;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return safeSlice(text, 0, head) + marker + safeSlice(text, text.length - tail, text.length);
}

function safeSlice(text: string, start: number, end: number): string {
  let s = start;
  let e = end;
  if (s > 0 && isLowSurrogate(text.charCodeAt(s))) s += 1;
  if (e < text.length && e > s && isLowSurrogate(text.charCodeAt(e))) e -= 1;
  return text.slice(s, e);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Clamp to [0, 1]; NaN becomes 0 so a broken number can never pass a threshold. */
export function clamp01(n: number): number {
  if (Number.isNaN(n)) return 0;
  return Math.min(1, Math.max(0, n));
}

/** A short, single-line rendering of a number for feedback. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
