// TEST HELPER ONLY: a scripted model server, the fake gateway in front of it, and a temporary
// workspace, started together for the agent-runtime tests.
import { mkdtemp, realpath, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { startScriptedModelServer, type ScriptedModelServer } from "../model-server/index.ts";
import { createGatewayClient, type GatewayClient } from "./gateway-client.ts";
import { startFakeGateway, type FakeGateway, type FakeGatewayOptions } from "./test-fake-gateway.ts";
import { createBuiltinRegistry } from "./tools/index.ts";

export const TEST_TOKEN = "tok-execution-secret";
export const silentLog = pino({ level: "silent" });

export interface Harness {
  model: ScriptedModelServer;
  gateway: FakeGateway;
  client: GatewayClient;
  workspace: string;
  tools: ReturnType<typeof createBuiltinRegistry>;
  stop(): Promise<void>;
}

export async function startHarness(script: unknown, overrides: Partial<Omit<FakeGatewayOptions, "modelUrl" | "token">> = {}): Promise<Harness> {
  const model = await startScriptedModelServer({ script, port: 0 });
  const tools = createBuiltinRegistry();
  const gateway = await startFakeGateway({ token: TEST_TOKEN, modelUrl: model.url, iteration: { model: "agent-model", tools: tools.specs() }, ...overrides });
  const workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), "aegis-runtime-")));
  return {
    model,
    gateway,
    client: createGatewayClient({ baseUrl: gateway.url, token: TEST_TOKEN, retryDelayMs: 10 }),
    workspace,
    tools,
    stop: async () => {
      await gateway.stop();
      await model.stop();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}
