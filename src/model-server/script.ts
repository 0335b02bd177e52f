// The scripted model's script: turns keyed by model name, validated by one zod schema.
// parseScript never throws; a rejection names the field that is wrong.
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const ToolCall = z
  .strictObject({
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).optional(),
    // Sent verbatim as the arguments string: the way to script invalid JSON.
    rawArguments: z.string().optional(),
  })
  .refine((c) => c.arguments === undefined || c.rawArguments === undefined, {
    message: "give arguments or rawArguments, not both",
    path: ["rawArguments"],
  });

const Fault = z.strictObject({
  status: z.number().int().min(400).max(599),
  times: z.number().int().min(1).max(1000).default(1),
  retryAfter: z.number().int().min(0).optional(),
  message: z.string().optional(),
});

const Match = z
  .strictObject({ contains: z.string().optional(), regex: z.string().optional() })
  .superRefine((m, ctx) => {
    if (m.regex === undefined) return;
    try {
      new RegExp(m.regex);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["regex"], message: `invalid regular expression: ${(error as Error).message}` });
    }
  });

const Turn = z
  .strictObject({
    match: Match.optional(),
    text: z.string().optional(),
    toolCalls: z.array(ToolCall).optional(),
    usage: z.strictObject({ input: z.number().int().min(0).optional(), output: z.number().int().min(0).optional() }).optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    // Streaming only: the wait before each event after the first.
    chunkDelayMs: z.number().int().min(0).max(60_000).optional(),
    faults: z.array(Fault).optional(),
    finish: z.enum(["stop", "length"]).optional(),
    truncate: z.boolean().optional(),
  })
  .refine((t) => t.text !== undefined || (t.toolCalls?.length ?? 0) > 0, { message: "a turn needs text or toolCalls" });

export const ScriptSchema = z.strictObject({
  models: z.record(z.string().min(1), z.array(Turn).min(1)),
});

export type Script = z.infer<typeof ScriptSchema>;
export type ScriptTurn = z.infer<typeof Turn>;
export type ScriptFault = z.infer<typeof Fault>;
export type ScriptToolCall = z.infer<typeof ToolCall>;

export type ParseResult = { ok: true; script: Script } | { ok: false; error: string };

/** Validates an already decoded value (a JS object) as a script. */
export function validateScript(value: unknown): ParseResult {
  const result = ScriptSchema.safeParse(value);
  if (result.success) return { ok: true, script: result.data };
  return { ok: false, error: `invalid script: ${describeIssues(result.error)}` };
}

/** "field.path: message; …" for a zod error: what a 400 or a rejected script says. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`).join("; ");
}

/** Parses YAML or JSON text (JSON is YAML) into a script. */
export function parseScript(text: string): ParseResult {
  let value: unknown;
  try {
    value = parseYaml(text, { logLevel: "error" });
  } catch (error) {
    return { ok: false, error: `invalid script: not YAML or JSON: ${(error as Error).message}` };
  }
  return validateScript(value);
}
