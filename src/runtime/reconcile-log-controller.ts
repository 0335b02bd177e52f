/**
 * Test only (enabled by --reconcile-log-dir): a controller over ConfigMaps labelled
 * `aegis.dev/reconcile-log` that appends every reconcile to `<dir>/<namespace>_<name>.log` as
 * `start <identity> <ms>` and `end <identity> <ms>` lines. Failover tests read the files to prove
 * that two replicas never reconcile the same object at the same time. Each reconcile holds the
 * object for `holdMs` so that overlaps, if the runtime allowed them, would be wide enough to see.
 */
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CONFIGMAPS } from "../kube/resources.ts";
import type { KubeObject } from "../kube/types.ts";
import type { ControllerSpec } from "./types.ts";

export const RECONCILE_LOG_LABEL = "aegis.dev/reconcile-log";
export const RECONCILE_LOG_CONTROLLER = "reconcile-log";

/** Wall-clock ms with sub-ms precision, comparable between processes on one machine. */
const wallClock = (): string => (performance.timeOrigin + performance.now()).toFixed(3);

export function reconcileLogController(dir: string, identity: string, holdMs = 20): ControllerSpec {
  return {
    name: RECONCILE_LOG_CONTROLLER,
    for: CONFIGMAPS,
    reconciler: (deps) => {
      const configMaps = deps.informer<KubeObject>(CONFIGMAPS);
      return {
        async reconcile(request) {
          const cm = configMaps.get(`${request.namespace}/${request.name}`);
          if (cm?.metadata.labels?.[RECONCILE_LOG_LABEL] === undefined) return;
          const file = join(dir, `${request.namespace}_${request.name}.log`);
          await appendFile(file, `start ${identity} ${wallClock()}\n`);
          await sleep(holdMs);
          await appendFile(file, `end ${identity} ${wallClock()}\n`);
        },
      };
    },
  };
}
