// `kubectl aegis describe <execution>`: the run, its iterations (score, confidence, validator
// feedback), tokens, cost and output preview; -o json|yaml prints the Execution itself.
import { EXECUTIONS } from "../kube/resources.ts";
import type { KubeObject } from "../kube/types.ts";
import { executionCommand, painter, type Io } from "./common.ts";
import { formatData, formatDescribe, type ExecutionView } from "./format.ts";

export const DESCRIBE_USAGE = "usage: kubectl aegis describe <execution> [-n namespace] [-o json|yaml]";

export async function describeMain(args: readonly string[], io: Io): Promise<number> {
  const command = executionCommand(args, io, DESCRIBE_USAGE);
  if (!command) return 0;
  const { kube, namespace, name, format, fail } = command;
  const ex = await kube.get<KubeObject & ExecutionView>(EXECUTIONS, namespace, name).catch(fail);
  if (format === "table") io.out(formatDescribe(ex, painter(io)));
  else {
    const { managedFields: _managed, ...metadata } = ex.metadata;
    io.out(formatData({ ...ex, metadata }, format));
  }
  return 0;
}
