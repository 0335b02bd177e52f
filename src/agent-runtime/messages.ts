// Pure: the conversation an iteration starts with, and the tools offered to the model.
import type { ChatMessage, ChatTool } from "./chat-wire.ts";
import type { IterationInfo } from "./iteration.ts";

/** Any value as text for the model: strings verbatim, the rest as indented JSON. */
export const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value, null, 2) ?? String(value));

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== "";

/**
 * System prompt, then one user message: the task, the input, and on a refinement the previous
 * output and the feedback exactly as the gateway gave them.
 */
export function buildInitialMessages(info: IterationInfo): ChatMessage[] {
  const parts = [`# Task\n\n${info.task}`];
  if (present(info.input)) parts.push(`# Input\n\n${asText(info.input)}`);
  if (present(info.previousOutput)) parts.push(`# Your previous output\n\n${asText(info.previousOutput)}`);
  if (present(info.feedback)) parts.push(`# Feedback on the previous output\n\n${asText(info.feedback)}\n\nRevise your work to address this feedback.`);
  const messages: ChatMessage[] = [];
  if (info.systemPrompt !== "") messages.push({ role: "system", content: info.systemPrompt });
  messages.push({ role: "user", content: parts.join("\n\n") });
  return messages;
}

export const toChatTools = (info: IterationInfo): ChatTool[] =>
  info.tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } }));
