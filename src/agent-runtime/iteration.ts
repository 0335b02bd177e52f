// What GET /v1/iteration answers (docs/design/execution-loop.md): everything the runtime needs to
// start. Validated, so a gateway bug is reported once at start rather than deep in the loop.
import { z } from "zod";

const toolSpec = z.object({
  name: z.string().min(1),
  description: z.string().default(""),
  parameters: z.record(z.string(), z.unknown()).default({ type: "object", properties: {} }),
});

export const iterationSchema = z.object({
  execution: z.string(),
  namespace: z.string(),
  iteration: z.number().int(),
  /** The agent's model alias; the gateway resolves it (the runtime sends it back unchanged). */
  model: z.string(),
  systemPrompt: z.string().default(""),
  task: z.string().default(""),
  /** Free-form input of the execution: text, or any JSON value (sent to the model as JSON). */
  input: z.unknown().optional(),
  previousOutput: z.string().nullish(),
  /** The validators' feedback as the controller wrote it: text or any JSON value. */
  feedback: z.unknown().optional(),
  tools: z.array(toolSpec).default([]),
});

export type IterationInfo = z.infer<typeof iterationSchema>;
