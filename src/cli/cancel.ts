// `kubectl aegis cancel <execution>`: server-side apply of spec.cancel: true as the field manager
// kubectl-aegis (the controller stops the pod and the phase becomes Cancelled).
import { API_VERSION } from "../api/index.ts";
import { EXECUTIONS } from "../kube/resources.ts";
import { executionCommand, FIELD_MANAGER, type Io } from "./common.ts";
import { formatData } from "./format.ts";

export const CANCEL_USAGE = "usage: kubectl aegis cancel <execution> [-n namespace] [-o json|yaml]";

export async function cancelMain(args: readonly string[], io: Io): Promise<number> {
  const command = executionCommand(args, io, CANCEL_USAGE);
  if (!command) return 0;
  const { kube, namespace, name, format, fail } = command;
  // Apply would create a missing Execution (without an agentRef, so the API would refuse it with a
  // confusing message): read it first to say "not found" plainly.
  await kube.get(EXECUTIONS, namespace, name).catch(fail);
  // force: spec.cancel is defaulted to false, so whoever created the Execution owns the field;
  // taking that one field over is the point of cancelling.
  const applied = await kube.apply(EXECUTIONS, { apiVersion: API_VERSION, kind: "Execution", metadata: { name, namespace }, spec: { cancel: true } },
    { fieldManager: FIELD_MANAGER, force: true }).catch(fail);
  if (format === "table") io.out(`execution ${name} cancel requested`);
  else io.out(formatData({ name, namespace, cancel: (applied as { spec?: { cancel?: boolean } }).spec?.cancel === true }, format));
  return 0;
}
