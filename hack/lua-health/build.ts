/**
 * Builds (or verifies the cached) Lua health-check runner and prints where it is.
 * Usage: npm run lua-health:build
 */
import { runCommand } from "../control-plane/cli.ts";
import { LUA_HEALTH, ensureLuaHealth } from "./module.ts";

await runCommand(async () => {
  process.stdout.write(`${LUA_HEALTH.name}: ${await ensureLuaHealth()}\n`);
});
