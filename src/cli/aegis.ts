#!/usr/bin/env node
// The aegis command line. Subcommands so far: `aegis policy test <dir>`.
import { policyTestMain } from "./policy-test.ts";

const [group, command, ...rest] = process.argv.slice(2);
if (group === "policy" && command === "test") {
  process.exitCode = policyTestMain(rest);
} else {
  console.error("usage: aegis policy test <dir>");
  process.exitCode = 2;
}
