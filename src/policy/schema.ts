// The Cedar schema text (src/policy/schema.cedarschema), read once; every policy set is validated
// against it and every request checked with it.
import { readFileSync } from "node:fs";

export const SCHEMA_PATH = new URL("./schema.cedarschema", import.meta.url);
export const SCHEMA_TEXT = readFileSync(SCHEMA_PATH, "utf8");

/** The actions of the schema, as written in policies: Action::"tool:invoke". */
export const ACTIONS = [
  "tool:invoke",
  "agent:declareTool",
  "agent:useImage",
  "agent:egress",
  "agent:mountVolume",
  "agent:accessPath",
  "agent:spawn",
  "agent:budget",
] as const;
export type ActionName = (typeof ACTIONS)[number];
