// The request bodies of the gateway API (docs/design/execution-loop.md), validated with zod.
import { z } from "zod";

export const ToolCallBody = z.strictObject({
  seq: z.number().int().min(0).max(2_147_483_647),
  name: z.string().min(1).max(256),
  arguments: z.unknown().optional(),
});

export const ToolResultBody = z.strictObject({
  ok: z.boolean(),
  /** Text, or any JSON value (stored as its JSON text). */
  content: z.unknown().optional(),
  /** Text or any JSON value, e.g. {code, message}. */
  error: z.unknown().optional(),
  durationMs: z.number().min(0).max(1e10),
});

export const OutputBody = z.strictObject({
  output: z.string(),
  exitCode: z.number().int().optional(),
});
