import { describe, expect, it } from "vitest";
import { selectModelBackend } from "./backend.ts";

describe("selectModelBackend", () => {
  it.each([
    { env: {}, want: { kind: "scripted" } },
    { env: { OPENAI_API_KEY: " " }, want: { kind: "scripted" } },
    { env: { OPENAI_API_KEY: "sk-1" }, want: { kind: "openai", apiKey: "sk-1", baseUrl: "https://api.openai.com/v1" } },
    { env: { OPENAI_API_KEY: "sk-1", OPENAI_BASE_URL: "http://vllm:8000/v1" }, want: { kind: "openai", apiKey: "sk-1", baseUrl: "http://vllm:8000/v1" } },
    { env: { ANTHROPIC_API_KEY: "a", OLLAMA_HOST: "x" }, want: { kind: "anthropic", apiKey: "a", baseUrl: "https://api.anthropic.com" } },
    { env: { OPENAI_API_KEY: "o", ANTHROPIC_API_KEY: "a" }, want: expect.objectContaining({ kind: "openai" }) },
    { env: { OLLAMA_HOST: "127.0.0.1:11434" }, want: { kind: "ollama", baseUrl: "http://127.0.0.1:11434/v1" } },
    { env: { OLLAMA_HOST: "https://ollama.example/" }, want: { kind: "ollama", baseUrl: "https://ollama.example/v1" } },
  ])("$env", ({ env, want }) => {
    expect(selectModelBackend(env)).toEqual(want);
  });
});
