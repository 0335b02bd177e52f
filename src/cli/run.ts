// `kubectl aegis run <agent> [--input JSON|@file] [--watch]`: creates an Execution of the agent
// (generateName "<agent>-") and prints its name; --watch then follows its phases with a watch
// until it ends: exit 0 when it Succeeded, 1 otherwise.
import { readFileSync } from "node:fs";
import { API_VERSION, TERMINAL_EXECUTION_PHASES, type ExecutionStatus } from "../api/index.ts";
import { isGone } from "../kube/errors.ts";
import { EXECUTIONS } from "../kube/resources.ts";
import type { KubeClient, KubeObject } from "../kube/types.ts";
import { connect, describeError, outputFormat, painter, parseFlags, CliError, UsageError, type Io } from "./common.ts";
import { formatData, formatPhaseLine, formatProgress } from "./format.ts";

export const RUN_USAGE = "usage: kubectl aegis run <agent> [--input JSON|@file] [--watch] [-n namespace] [-o json|yaml]";

type ExecutionObject = KubeObject & { status?: ExecutionStatus };

/** --input: inline JSON or @file holding JSON; it must be an object (spec.input). */
export function parseInput(value: string | undefined, read: (path: string) => string = (p) => readFileSync(p, "utf8")): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let text = value;
  if (value.startsWith("@")) {
    try {
      text = read(value.slice(1));
    } catch (e) {
      throw new UsageError(`--input ${value}: ${(e as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--input is not JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError("--input must be a JSON object");
  return parsed as Record<string, unknown>;
}

const isTerminal = (phase: string | undefined): boolean => (TERMINAL_EXECUTION_PHASES as readonly (string | undefined)[]).includes(phase);

export async function runMain(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, { input: { type: "string" }, watch: { type: "boolean", short: "w" } }, 1);
  if (values.help) return (io.out(RUN_USAGE), 0);
  const format = outputFormat(values.output);
  const input = parseInput(values.input);
  const agent = positionals[0] ?? "";
  const { kube, namespace } = connect(values.namespace, io.env);
  const body = {
    apiVersion: API_VERSION, kind: "Execution",
    metadata: { generateName: `${agent.slice(0, 50)}-`, namespace },
    spec: { agentRef: { name: agent }, ...(input ? { input } : {}) },
  };
  const created = await kube.create<ExecutionObject>(EXECUTIONS, body).catch((e: unknown) => {
    throw new CliError(`cannot create an execution of agent ${agent} in namespace ${namespace}: ${describeError(e)}`);
  });
  const name = created.metadata.name ?? "";
  if (!values.watch) {
    io.out(format === "table" ? name : formatData(created, format));
    return 0;
  }
  if (format === "table") io.out(name);
  const final = await follow(kube, namespace, created, io, format === "table");
  if (format !== "table") io.out(formatData(final, format));
  return final.status?.phase === "Succeeded" ? 0 : 1;
}

/** Follows one Execution with watches (re-listing when the watch ends or expires) until it is terminal. */
export async function follow(kube: KubeClient, namespace: string, start: ExecutionObject, io: Io, printPhases: boolean): Promise<ExecutionObject> {
  const name = start.metadata.name ?? "";
  const p = painter(io);
  const began = Date.now();
  let latest = start;
  let lastLine = "";
  let progressShown = false;
  const clearProgress = (): void => {
    if (progressShown) io.errRaw("\r\u001b[K");
    progressShown = false;
  };
  const show = (obj: ExecutionObject): void => {
    latest = obj;
    const line = formatPhaseLine(name, obj.status, p);
    if (printPhases && line !== lastLine) {
      clearProgress();
      io.out(line);
      lastLine = line;
    }
  };
  const timer = io.progress
    ? setInterval(() => {
      io.errRaw(`\r\u001b[K${formatProgress(name, latest.status?.phase, Date.now() - began)}`);
      progressShown = true;
    }, 1000)
    : undefined;
  try {
    show(start);
    let resourceVersion = start.metadata.resourceVersion ?? "";
    while (!isTerminal(latest.status?.phase)) {
      const abort = new AbortController();
      try {
        await kube.watch<ExecutionObject>(EXECUTIONS, { namespace, fieldSelector: `metadata.name=${name}`, resourceVersion, timeoutSeconds: 300, signal: abort.signal }, (type, obj) => {
          if (type === "DELETED") throw new CliError(`execution ${name} was deleted`);
          if (type === "BOOKMARK") return;
          resourceVersion = obj.metadata.resourceVersion ?? resourceVersion;
          show(obj);
          if (isTerminal(obj.status?.phase)) abort.abort();
        });
      } catch (e) {
        if (e instanceof CliError) throw e;
        if (abort.signal.aborted) break;
        if (!isGone(e)) throw new CliError(`watching execution ${name}: ${describeError(e)}`);
      }
      if (isTerminal(latest.status?.phase)) break;
      // The watch ended (server timeout) or expired: read the object again and watch from there.
      const current = await kube.get<ExecutionObject>(EXECUTIONS, namespace, name).catch((e: unknown) => {
        throw new CliError(describeError(e, { name, namespace }));
      });
      resourceVersion = current.metadata.resourceVersion ?? "";
      show(current);
    }
    return latest;
  } finally {
    if (timer) clearInterval(timer);
    clearProgress();
  }
}
