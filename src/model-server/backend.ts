// Which model backend a local run uses: a real provider when its key (or Ollama's address) is in
// the environment, else the scripted model server. Pure: reads only the env object it is given.

export type ModelBackend =
  | { kind: "openai"; baseUrl: string; apiKey: string }
  | { kind: "anthropic"; baseUrl: string; apiKey: string }
  | { kind: "ollama"; baseUrl: string }
  | { kind: "scripted" };

/** Precedence: OPENAI_API_KEY, then ANTHROPIC_API_KEY, then OLLAMA_HOST; none → scripted. Empty values count as unset. */
export function selectModelBackend(env: Record<string, string | undefined>): ModelBackend {
  const set = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const openai = set("OPENAI_API_KEY");
  if (openai !== undefined) return { kind: "openai", apiKey: openai, baseUrl: set("OPENAI_BASE_URL") ?? "https://api.openai.com/v1" };
  const anthropic = set("ANTHROPIC_API_KEY");
  if (anthropic !== undefined) return { kind: "anthropic", apiKey: anthropic, baseUrl: set("ANTHROPIC_BASE_URL") ?? "https://api.anthropic.com" };
  const ollama = set("OLLAMA_HOST");
  if (ollama !== undefined) {
    const origin = /^https?:\/\//.test(ollama) ? ollama : `http://${ollama}`;
    // Ollama serves the OpenAI-compatible API under /v1.
    return { kind: "ollama", baseUrl: `${origin.replace(/\/+$/, "")}/v1` };
  }
  return { kind: "scripted" };
}
