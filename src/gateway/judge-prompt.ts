// What a judge model is asked and how its answer becomes a verdict (pure). The verdict is parsed
// leniently (whole answer, a ```json block, or the outermost {...} in prose) because models wrap
// JSON in text; range checks are left to the validators (judge-call.ts), which own that rule.
import type { ChatMessage } from "./providers/types.ts";
import { extractJson } from "../validators/json-extract.ts";
import type { JudgeRequest, JudgeVerdict } from "../validators/types.ts";

export const JUDGE_SYSTEM_PROMPT = [
  "You are a strict, impartial evaluator. Grade the output under review against the criteria.",
  'Answer with only a JSON object: {"score": <number 0..1>, "confidence": <number 0..1>, "reasoning": "<short explanation>"}.',
  "score: how well the output meets the criteria (1 = fully). confidence: how sure you are of that score.",
].join("\n");

/**
 * The subset of Handlebars the API documents: {{output}}, {{task}}, {{criteria}} (also with triple
 * braces; nothing is HTML-escaped since the reader is a model). Other tags are left as written.
 */
export function renderInputTemplate(template: string, values: { output: string; task?: string; criteria: string }): string {
  return template.replace(/\{\{\{?\s*(output|task|criteria)\s*\}?\}\}/g, (_tag, name: "output" | "task" | "criteria") => values[name] ?? "");
}

export function judgeMessages(r: Pick<JudgeRequest, "criteria" | "output" | "task" | "inputTemplate">): ChatMessage[] {
  const values = { output: r.output, criteria: r.criteria, ...(r.task === undefined ? {} : { task: r.task }) };
  const body = r.inputTemplate !== undefined
    ? renderInputTemplate(r.inputTemplate, values)
    : [...(r.task === undefined ? [] : [`## Task given to the agent\n${r.task}`]), `## Output under review\n${r.output}`].join("\n\n");
  return [
    { role: "system", content: JUDGE_SYSTEM_PROMPT },
    { role: "user", content: `## Criteria\n${r.criteria}\n\n${body}\n\nAnswer with the JSON verdict only.` },
  ];
}

function outermostObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  } catch {
    return undefined;
  }
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** The verdict in a judge's answer; throws an Error saying what is wrong with it. */
export function parseVerdict(text: string): JudgeVerdict {
  const extracted = extractJson(text);
  const value = extracted.ok ? extracted.value : outermostObject(text);
  const excerpt = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`the judge's answer holds no JSON verdict {score, confidence, reasoning}: ${excerpt}`);
  }
  const o = value as Record<string, unknown>;
  const score = numberOf(o["score"]);
  const confidence = numberOf(o["confidence"]);
  if (score === undefined || confidence === undefined) {
    throw new Error(`the judge's verdict needs numeric "score" and "confidence": ${excerpt}`);
  }
  return { score, confidence, reasoning: typeof o["reasoning"] === "string" ? o["reasoning"] : "" };
}
