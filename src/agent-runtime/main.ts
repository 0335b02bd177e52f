// The agent-runtime program (`node src/agent-runtime/main.ts`): the process in each iteration's
// pod. Reads the contract's env, runs one iteration against the gateway, exits with its code.
// Logs are JSON lines on stderr; the token is never logged. With an OTLP endpoint set, the
// iteration is a span continuing the operator's trace (TRACEPARENT), see docs/tracing.md.
import { context, type Span } from "@opentelemetry/api";
import { pino } from "pino";
import { createLogger } from "../log/logger.ts";
import { loadConfig } from "./config.ts";
import { createGatewayClient } from "./gateway-client.ts";
import { EXIT_CODES } from "./outcome.ts";
import { runIteration } from "./run-iteration.ts";
import { createBuiltinRegistry } from "./tools/index.ts";
import { contextFromEnv, executionAttributes, inSpan, SERVICE, startTracing, tracerFor } from "../telemetry/index.ts";

const tracing = await startTracing(SERVICE.runtime);

async function main(span: Span): Promise<number> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    const log = createLogger({ level: "info", base: { component: "agent-runtime" }, destination: pino.destination({ fd: 2, sync: true }) });
    log.fatal({ problems: loaded.problems }, "Refused the environment");
    return EXIT_CODES.config;
  }
  const { config } = loaded;
  span.setAttributes(executionAttributes(config));
  const log = createLogger({
    level: config.logLevel,
    base: { component: "agent-runtime", execution: config.execution, namespace: config.namespace, iteration: config.iteration },
    destination: pino.destination({ fd: 2, sync: true }),
  });
  const terminate = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log.warn({ signal }, "Received a termination signal; aborting the iteration");
    terminate.abort(new Error(signal));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  log.info({ gateway: config.gatewayUrl, workspace: config.workspace, maxToolRounds: config.maxToolRounds, iterationTimeoutMs: config.iterationTimeoutMs }, "Started the iteration");
  const gateway = createGatewayClient({
    baseUrl: config.gatewayUrl, token: config.token, retryWindowMs: config.gatewayRetryWindowMs,
    ...(config.saTokenFile === undefined ? {} : { seal: { saTokenFile: config.saTokenFile } }),
  });
  // SEAL: attest at start; a failure here surfaces again on the first signed call, which ends the loop.
  await gateway.attest?.(terminate.signal).then(
    () => log.info("Attested to the gateway (SEAL)"),
    (error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, "SEAL attestation failed"),
  );
  const result = await runIteration({
    gateway,
    tools: createBuiltinRegistry(),
    workspace: config.workspace,
    maxToolRounds: config.maxToolRounds,
    iterationTimeoutMs: config.iterationTimeoutMs,
    log,
    terminate: terminate.signal,
  });
  const { outcome } = result;
  span.setAttributes({ "aegis.exit_code": result.exitCode, "aegis.outcome": outcome.reason, "aegis.rounds": outcome.rounds, "aegis.tool_calls": outcome.toolCalls });
  const fields = { reason: outcome.reason, exitCode: result.exitCode, rounds: outcome.rounds, toolCalls: outcome.toolCalls, outputChars: outcome.output.length, reported: result.reported };
  if (result.exitCode === 0) log.info(fields, "Finished the iteration");
  else log.error({ ...fields, error: outcome.error }, "Ended the iteration");
  return result.exitCode;
}

/** Exits once the spans are exported (bounded). */
const exit = (code: number): void => void tracing.shutdown().finally(() => process.exit(code));

context.with(contextFromEnv(process.env), () => inSpan(tracerFor(SERVICE.runtime), "iteration.run", {}, main)).then(
  exit,
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: "fatal", msg: "Crashed", err: error instanceof Error ? error.message : String(error) })}\n`);
    exit(EXIT_CODES.failed);
  },
);
