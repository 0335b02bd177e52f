/**
 * How the operator's programs end: SIGTERM or SIGINT runs `stop` and exits 0 (1 if stopping
 * failed); a second signal while stopping exits at once.
 */
import type { Logger } from "pino";

export function exitOnSignals(stop: () => Promise<void>, log: Logger): void {
  let signals = 0;
  const shutdown = (signal: string): void => {
    if (++signals > 1) process.exit(1);
    log.info({ signal }, "Received signal, shutting down");
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "Shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
