/** Shared by the hack/control-plane commands: print a ControlPlaneError the way a user should see it. */
import { ControlPlaneError } from "../../src/local/controlplane/errors.ts";

export async function runCommand(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof ControlPlaneError) {
      process.stderr.write(`error: ${err.describe()}\n`);
      process.exitCode = 1;
    } else {
      throw err;
    }
  }
}
