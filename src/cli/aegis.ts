#!/usr/bin/env node
// The aegis command line, also installed as the kubectl plugin `kubectl-aegis` (`kubectl aegis …`).
// A small dispatcher: one file per command in src/cli/. Exit codes: 0 done, 1 failed (not found,
// no cluster, a run that did not succeed), 2 bad usage.
import { cancelMain, CANCEL_USAGE } from "./cancel.ts";
import { CliError, describeError, processIo, UsageError, type Io } from "./common.ts";
import { describeMain, DESCRIBE_USAGE } from "./describe.ts";
import { eventsMain, EVENTS_USAGE } from "./events.ts";
import { logsMain, LOGS_USAGE } from "./logs.ts";
import { policyTestMain } from "./policy-test.ts";
import { runMain, RUN_USAGE } from "./run.ts";

const POLICY_USAGE = "usage: kubectl aegis policy test <dir>";

const COMMANDS: Record<string, { usage: string; main: (args: readonly string[], io: Io) => number | Promise<number> }> = {
  run: { usage: RUN_USAGE, main: runMain },
  describe: { usage: DESCRIBE_USAGE, main: describeMain },
  cancel: { usage: CANCEL_USAGE, main: cancelMain },
  events: { usage: EVENTS_USAGE, main: eventsMain },
  logs: { usage: LOGS_USAGE, main: logsMain },
  policy: {
    usage: POLICY_USAGE,
    main: (args, io) => {
      if (args[0] !== "test") throw new UsageError(args[0] === undefined ? "missing policy command" : `unknown policy command "${args[0]}"`);
      return policyTestMain(args.slice(1), io.out);
    },
  },
};

export const USAGE = [
  "usage: kubectl aegis <command> [flags]   (also: npx aegis <command>)",
  "",
  "commands:",
  ...Object.values(COMMANDS).map((c) => `  ${c.usage.replace(/^usage: kubectl aegis /, "")}`),
  "",
  "flags: -n/--namespace (default: the context's namespace), -o/--output json|yaml (default: a table), -h/--help",
  "exit codes: 0 ok, 1 failed, 2 bad usage",
].join("\n");

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "-h" || name === "--help") {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command.main(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${name}: ${e.message}\n${command.usage}`);
      return 2;
    }
    io.err(e instanceof CliError ? e.message : describeError(e));
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2), processIo());
