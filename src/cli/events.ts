// `kubectl aegis events <execution>`: the events.k8s.io Events regarding the Execution, oldest first.
import { EVENTS, EXECUTIONS } from "../kube/resources.ts";
import type { KubeObject } from "../kube/types.ts";
import { executionCommand, painter, type Io } from "./common.ts";
import { formatData, formatEvents, sortEvents, type EventView } from "./format.ts";

export const EVENTS_USAGE = "usage: kubectl aegis events <execution> [-n namespace] [-o json|yaml]";

type EventObject = KubeObject & EventView & { regarding?: { kind?: string; name?: string; uid?: string } };

export async function eventsMain(args: readonly string[], io: Io, now: () => Date = () => new Date()): Promise<number> {
  const command = executionCommand(args, io, EVENTS_USAGE);
  if (!command) return 0;
  const { kube, namespace, name, format, fail } = command;
  const ex = await kube.get(EXECUTIONS, namespace, name).catch(fail);
  const events: EventObject[] = [];
  let cont: string | undefined;
  do {
    const page = await kube.list<EventObject>(EVENTS, { namespace, fieldSelector: `regarding.name=${name}`, limit: 500, ...(cont ? { continue: cont } : {}) }).catch(fail);
    events.push(...page.items);
    cont = page.continue;
  } while (cont);
  // Same name, other kinds (the iteration pods are <execution>-<n>, but a Pod could share the name)
  // and earlier Executions of that name (another uid) are not this run's.
  const mine = sortEvents(events.filter((e) => e.regarding?.kind === "Execution" && (!e.regarding.uid || e.regarding.uid === ex.metadata.uid)));
  if (format === "table") io.out(formatEvents(mine, painter(io), now()));
  else io.out(formatData(mine.map(({ metadata: { managedFields: _m, ...metadata }, ...rest }) => ({ ...rest, metadata })), format));
  return 0;
}
