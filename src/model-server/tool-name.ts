// The tool names the real model APIs accept. OpenAI: "a-z, A-Z, 0-9, underscores and dashes, with a
// maximum length of 64" (its errors quote ^[a-zA-Z0-9_-]{1,64}$); Anthropic: ^[a-zA-Z0-9_-]{1,64}$.
// The scripted server rejects other names as they do, so a client that forgets to encode fails in tests.

export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export function isProviderToolName(name: string): boolean {
  return TOOL_NAME_PATTERN.test(name);
}
