// CLI: serve a script over HTTP. Prints the URL it listens on (one line on stdout); errors go to stderr.
import { readFile } from "node:fs/promises";
import { parseCli, USAGE } from "./cli.ts";
import { startScriptedModelServer } from "./server.ts";
import { SERVICE, startTracing } from "../telemetry/index.ts";

// Spans only with an OTLP endpoint in the environment (docs/tracing.md).
const tracing = await startTracing(SERVICE.model);

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (!cli.ok) {
    console.error(`${cli.error}\n${USAGE}`);
    return 2;
  }
  const { script, port, host, apiKey } = cli.options;
  let text: string;
  try {
    text = await readFile(script, "utf8");
  } catch (error) {
    console.error(`cannot read ${script}: ${(error as Error).message}`);
    return 2;
  }
  let server;
  try {
    server = await startScriptedModelServer({ script: text, port, host, ...(apiKey === undefined ? {} : { apiKey }) });
  } catch (error) {
    console.error(`${script}: ${(error as Error).message}`);
    return 2;
  }
  console.log(server.url);
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (): void => void running.stop().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

process.exitCode = await main();
await tracing.shutdown();
