/** The agent side of one iteration over the gateway's HTTP API (docs/design/execution-loop.md). */

export interface IterationInfo {
  readonly execution: string;
  readonly systemPrompt: string;
  readonly task: string;
  readonly input?: unknown;
}

async function call(gatewayUrl: string, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // 503 while the gateway warms up (as the runtime does, retried within a window).
    if (res.status === 503 && attempt < 50) {
      await res.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }
}

/** GET /v1/iteration, one POST /v1/chat/completions, POST /v1/output; resolves with the model's text. */
export async function playIteration(gatewayUrl: string, token: string): Promise<string> {
  const info = (await (await call(gatewayUrl, token, "GET", "/v1/iteration")).json()) as IterationInfo;
  const user = `${info.task}\n\n# Input\n\n${JSON.stringify(info.input ?? null)}`;
  const chat = (await (await call(gatewayUrl, token, "POST", "/v1/chat/completions", {
    model: "ignored", messages: [{ role: "system", content: info.systemPrompt }, { role: "user", content: user }],
  })).json()) as { choices: { message: { content: string | null } }[] };
  const output = chat.choices[0]?.message.content ?? "";
  const done = await call(gatewayUrl, token, "POST", "/v1/output", { output, exitCode: 0 });
  await done.arrayBuffer();
  return output;
}
