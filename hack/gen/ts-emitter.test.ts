import { describe, expect, it } from "vitest";
import { array, enumOf, integer, map, named, namedSchema, object, string, typeNameOf } from "../../src/api/schema/builders.ts";
import { emitShared, newContext, singular, typeOf } from "./ts-emitter.ts";

const emit = (schema: Parameters<typeof typeOf>[0], name: string) => {
  const ctx = newContext(typeNameOf, namedSchema);
  const type = typeOf(schema, name, ctx);
  return { type, text: [...ctx.local.values()].map((d) => d.text).join("\n"), ctx };
};

describe("ts-emitter", () => {
  it("turns an object into an interface: required fields plain, others optional, descriptions as JSDoc", () => {
    const { type, text } = emit(object("A pet.", {
      name: string("The pet's name."),
      age: integer("Age in years.", { default: 1 }),
    }, { required: ["name"] }), "Pet");
    expect(type).toBe("Pet");
    expect(text).toContain("/** A pet. */\nexport interface Pet {");
    expect(text).toContain("  /** The pet's name. */\n  name: string;");
    expect(text).toMatch(/Age in years\.\n\s+\* @default 1\n\s+\*\/\n\s+age\?: number;/);
  });

  it("maps enums to literal unions, lists to arrays with singular item names, maps to Records", () => {
    const { text } = emit(object("Root.", {
      mode: enumOf("Mode.", ["OneShot", "Iterative"]),
      volumes: array("Volumes.", object("A volume.", { size: string("Size.") }), 4),
      labels: map("Labels.", string("Value."), 8),
    }), "Root");
    expect(text).toContain(`mode?: "OneShot" | "Iterative";`);
    expect(text).toContain("volumes?: RootVolume[];");
    expect(text).toContain("export interface RootVolume {");
    expect(text).toContain("labels?: Record<string, string>;");
  });

  it("parenthesises union item types and maps int-or-string to number | string", () => {
    const { text } = emit(object("Root.", {
      modes: array("Modes.", enumOf("Mode.", ["A", "B"]), 2),
      q: { description: "Q.", "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
    }), "Root");
    expect(text).toContain(`modes?: ("A" | "B")[];`);
    expect(text).toContain("q?: number | string;");
  });

  it("refers to named schemas by name and emits them once in the shared file", () => {
    const ref = named("TestRef", object("A reference.", { name: string("Name.") }, { required: ["name"] }));
    const { text, ctx } = emit(object("Root.", { a: ref, b: ref }), "Root");
    expect(text).toContain("a?: TestRef;");
    expect([...ctx.imports]).toEqual(["TestRef"]);
    const shared = emitShared(ctx);
    expect(shared.match(/export interface TestRef \{/g)).toHaveLength(1);
  });

  it("refuses two different schemas under one name", () => {
    const one = named("Clash", object("One.", { a: string("A.") }));
    const two = named("Clash", object("Two.", { b: string("B.") }));
    expect(() => emit(object("Root.", { one, two }), "Root")).toThrow(/two different schemas are both named Clash/);
  });

  it("escapes comment terminators in descriptions", () => {
    const { text } = emit(object("Globs like /workspace/**/ are fine.", { a: string("A.") }), "G");
    expect(text).not.toContain("**/ are");
  });

  it.each([["volumes", "volume"], ["policies", "policy"], ["status", "statusItem"], ["context", "contextItem"], ["address", "addressItem"]])(
    "singular(%s) = %s", (plural, one) => expect(singular(plural)).toBe(one),
  );
});
