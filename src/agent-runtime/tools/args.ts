// Pure: parse a tool's arguments with its zod schema; a problem becomes an error the model reads,
// naming the field.
import type { z } from "zod";
import { failure, type ToolFailure } from "./result.ts";

export function parseArgs<T>(schema: z.ZodType<T>, raw: unknown): { ok: true; value: T } | ToolFailure {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length === 0 ? "arguments" : issue.path.map(String).join(".");
    return `${field}: ${issue.message}`;
  });
  return failure("InvalidArguments", `invalid arguments: ${problems.join("; ")}`, {
    fields: parsed.error.issues.map((issue) => issue.path.map(String).join(".")),
  });
}
