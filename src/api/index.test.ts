import { describe, expect, it } from "vitest";
import { API_VERSION, EXECUTION_PHASES, GROUP, KIND_NAMES, RESOURCES, VERSION } from "./index.ts";
import { executionKind } from "./schema/execution.ts";
import * as schema from "./schema/index.ts";

describe("src/api constants", () => {
  it("agree with the schemas the CRDs are generated from", () => {
    expect([GROUP, VERSION, API_VERSION]).toEqual([schema.GROUP, schema.VERSION, schema.API_VERSION]);
    expect(KIND_NAMES).toEqual(schema.KINDS.map((k) => k.kind));
    for (const def of schema.KINDS) {
      const r = RESOURCES[def.kind as keyof typeof RESOURCES];
      expect(r).toEqual({
        plural: def.plural, singular: def.singular, shortName: def.shortNames[0], namespaced: def.scope === "Namespaced",
      });
    }
    expect(EXECUTION_PHASES).toEqual(executionKind.status.properties!.phase!.enum);
  });
});
