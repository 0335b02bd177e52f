/**
 * Stops whatever a previous start left running under AEGIS_HOME (e.g. after a crash).
 * Usage: npm run control-plane:stop
 */
import { stopRecorded } from "../../src/local/controlplane/controlplane.ts";
import { aegisHome } from "../../src/local/paths.ts";
import { runCommand } from "./cli.ts";

await runCommand(async () => {
  const stopped = await stopRecorded(aegisHome());
  process.stdout.write(stopped.length > 0 ? `stopped: ${stopped.join(", ")}\n` : "nothing was running\n");
});
