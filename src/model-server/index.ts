// The scripted model server's public surface (see docs/scripted-model.md).
export { startScriptedModelServer, toScript, type ScriptedModelServer, type ScriptedModelServerOptions } from "./server.ts";
export { parseScript, validateScript, type Script, type ScriptTurn } from "./script.ts";
export { CONVERSATION_HEADER } from "./chat.ts";
export type { LoggedRequest, RequestFilter } from "./request-log.ts";
export { parseSse, type SseEvent } from "./sse.ts";
export { reassembleAnthropic, reassembleOpenAI } from "./reassemble.ts";
export { selectModelBackend, type ModelBackend } from "./backend.ts";
