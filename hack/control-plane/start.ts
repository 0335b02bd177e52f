/**
 * Starts the local control plane in the foreground until Ctrl-C, then stops it.
 * Usage: npm run control-plane:start [-- --kwok]   (AEGIS_HOME sets the state folder)
 */
import { startControlPlane } from "../../src/local/controlplane/controlplane.ts";
import { aegisHome } from "../../src/local/paths.ts";
import { runCommand } from "./cli.ts";

await runCommand(async () => {
  const cp = await startControlPlane({ home: aegisHome(), kwok: process.argv.includes("--kwok") });
  process.stdout.write(`control plane ready at ${cp.server}\nexport KUBECONFIG=${cp.kubeconfig}\n(Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await cp.stop();
  process.stdout.write("control plane stopped\n");
});
