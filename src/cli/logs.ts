// `kubectl aegis logs -f <execution>`: the live transcript streamed from the gateway with
// Server-Sent Events. Not available yet (see docs/kubectl-aegis.md).
import type { Io } from "./common.ts";

export const LOGS_USAGE = "usage: kubectl aegis logs -f <execution> (not available yet)";

export function logsMain(_args: readonly string[], io: Io): number {
  io.err("logs: not available yet");
  return 2;
}
