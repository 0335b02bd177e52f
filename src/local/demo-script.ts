/**
 * What the scripted model answers for `npm start`'s hello agent (examples/local/agent-hello.yaml),
 * when no provider key is configured. Each iteration is its own conversation (its first user
 * message differs), and the player only moves forward, so the four-turn story is repeated: every
 * new run continues with the next copy.
 *   iteration 1: fs.write hello.txt → cmd.run cat → an answer without DONE (the Regex fails)
 *   iteration 2 (refined with the feedback): an answer ending with DONE (passes)
 */
export const DEMO_MODEL = "scripted-demo";
const RUNS = 200;

export function demoScript(): { models: Record<string, unknown[]> } {
  const story = [
    { match: { regex: "^# Task(?![\\s\\S]*# Feedback)" }, text: "I'll write the greeting first.",
      toolCalls: [{ name: "fs.write", arguments: { path: "hello.txt", content: "Hello from the aegis agent!\n" } }] },
    { match: { regex: "\"bytes\"" }, toolCalls: [{ name: "cmd.run", arguments: { command: "cat", args: ["hello.txt"] } }] },
    { match: { contains: "Hello from the aegis agent" }, text: "Wrote hello.txt with a greeting and checked it with cat." },
    { match: { contains: "# Feedback" }, text: "hello.txt holds the greeting and `cat` shows it. DONE" },
  ];
  return { models: { [DEMO_MODEL]: Array.from({ length: RUNS }, () => story).flat() } };
}
