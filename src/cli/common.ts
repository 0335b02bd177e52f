// What every cluster command of the aegis CLI shares: flag parsing (bad flags → usage, exit 2),
// the KubeConfig and namespace (KUBECONFIG, ~/.kube/config, -n), and errors as clear messages.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { createKubeClient } from "../kube/client.ts";
import { isKubeApiError } from "../kube/errors.ts";
import type { KubeClient } from "../kube/types.ts";
import { paint, useColour, type OutputFormat, type Paint } from "./format.ts";

export const FIELD_MANAGER = "kubectl-aegis";

/** A wrong invocation: the message and the command's usage are printed, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure the user should read as is (no stack), exit code 1. */
export class CliError extends Error {
  override name = "CliError";
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Writes without a newline (progress lines on a TTY). */
  readonly errRaw: (text: string) => void;
  readonly colour: boolean;
  readonly progress: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo = (): Io => ({
  out: (text) => { process.stdout.write(`${text}\n`); },
  err: (text) => { process.stderr.write(`${text}\n`); },
  errRaw: (text) => { process.stderr.write(text); },
  colour: useColour(process.stdout, process.env),
  progress: process.stderr.isTTY === true,
  env: process.env,
});

export const painter = (io: Io): Paint => paint(io.colour);

const COMMON = {
  namespace: { type: "string", short: "n" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const;

export interface Parsed<V> {
  readonly values: V & { namespace?: string; output?: string; help?: boolean };
  readonly positionals: string[];
}

/** parseArgs with -n/-o/-h added; unknown flags and missing values become UsageErrors. */
export function parseFlags<O extends NonNullable<ParseArgsConfig["options"]>>(args: readonly string[], options: O, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const help = (parsed.values as { help?: boolean }).help === true;
  if (!help && parsed.positionals.length !== positionals) {
    throw new UsageError(parsed.positionals.length < positionals ? "missing argument" : `unexpected argument ${parsed.positionals[positionals] ?? ""}`);
  }
  return parsed;
}

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === "table") return "table";
  if (value === "json" || value === "yaml") return value;
  throw new UsageError(`unknown output format "${value}" (use json or yaml)`);
}

export interface Cluster {
  readonly kube: KubeClient;
  readonly namespace: string;
}

/** The cluster from KUBECONFIG or ~/.kube/config, and the namespace: -n, else the context's, else "default". */
export function connect(namespaceFlag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): Cluster {
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (e) {
    const where = env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}` : "the kubeconfig";
    throw new CliError(`cannot load ${where}: ${(e as Error).message}`);
  }
  if (!kc.getCurrentCluster()) throw new CliError("no cluster configured: set KUBECONFIG or the current context (kubectl config use-context)");
  const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  return { kube: createKubeClient(kc, { timeoutMs: 15_000 }), namespace: namespaceFlag ?? contextNamespace ?? "default" };
}

/** A clear sentence for any failure of a cluster command. */
export function describeError(err: unknown, context: { kind?: string; name?: string; namespace?: string } = {}): string {
  if (isKubeApiError(err)) {
    if (err.reason === "NotFound" && context.name) return `${context.kind ?? "execution"} ${context.name} not found in namespace ${context.namespace}`;
    if (err.reason === "Unreachable" || err.reason === "Timeout") return `cannot reach the Kubernetes API server (check KUBECONFIG and that the cluster is running): ${err.message}`;
    if (err.reason === "Unauthorized") return `not authorized by the API server (check the kubeconfig's credentials): ${err.message}`;
    if (err.reason === "Forbidden") return `forbidden: ${err.message}`;
    return `${err.reason}: ${err.message}`;
  }
  return (err as Error).message ?? String(err);
}

export interface ExecutionCommand extends Cluster {
  readonly name: string;
  readonly format: OutputFormat;
  /** Rethrows a failure as a CliError with a clear message ("execution x not found in namespace y"). */
  readonly fail: (err: unknown) => never;
}

/** The start of `<command> <execution> [-n] [-o]`: undefined once --help printed the usage. */
export function executionCommand(args: readonly string[], io: Io, usage: string): ExecutionCommand | undefined {
  const { values, positionals } = parseFlags(args, {}, 1);
  if (values.help) {
    io.out(usage);
    return undefined;
  }
  const format = outputFormat(values.output);
  const name = positionals[0] ?? "";
  const cluster = connect(values.namespace, io.env);
  const fail = (err: unknown): never => { throw new CliError(describeError(err, { name, namespace: cluster.namespace })); };
  return { ...cluster, name, format, fail };
}
