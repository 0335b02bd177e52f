/**
 * Builds (or verifies the cached) control-plane binaries and prints where they are.
 * Usage: npm run control-plane:build
 */
import { ensureBinaries } from "../../src/local/controlplane/build.ts";
import { runCommand } from "./cli.ts";

await runCommand(async () => {
  const built = await ensureBinaries();
  for (const mod of Object.values(built)) process.stdout.write(`${mod.module} ${mod.version}: ${mod.dir}\n`);
});
