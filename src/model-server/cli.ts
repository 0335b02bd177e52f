// Command-line arguments of the scripted model server, parsed without side effects.
import { parseArgs } from "node:util";

export interface CliOptions {
  script: string;
  port: number;
  host: string;
  apiKey: string | undefined;
}

export const USAGE = "usage: node src/model-server/main.ts --script <file.yaml|json> [--port N] [--host 127.0.0.1] [--api-key K]";

export function parseCli(argv: string[]): { ok: true; options: CliOptions } | { ok: false; error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { script: { type: "string" }, port: { type: "string" }, host: { type: "string" }, "api-key": { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (values.script === undefined) return { ok: false, error: "--script is required" };
  const port = Number(values.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, error: `--port must be an integer 0..65535, got ${values.port}` };
  return { ok: true, options: { script: values.script, port, host: values.host ?? "127.0.0.1", apiKey: values["api-key"] } };
}
