import { describe, expect, it } from "vitest";
import { array, describe as redescribe, enumOf, named, object, string, typeNameOf } from "./builders.ts";

describe("schema builders", () => {
  it("refuse a field without a description", () => {
    expect(() => string("")).toThrow(/description/);
    expect(() => string("   ")).toThrow(/description/);
  });

  it("refuse an object property without a description", () => {
    expect(() => object("A thing.", { name: { type: "string" } })).toThrow(/property "name" has no description/);
  });

  it("refuse a required property that is not defined", () => {
    expect(() => object("A thing.", { a: string("A.") }, { required: ["b"] })).toThrow(/"b"/);
  });

  it("refuse a default outside the enum", () => {
    expect(() => enumOf("Mode.", ["A", "B"], { default: "C" })).toThrow(/not one of/);
  });

  it("refuse a list-map whose key is not a required property of the items", () => {
    const item = object("Item.", { name: string("Name.") });
    expect(() => array("List.", item, 4, { listType: "map", mapKeys: ["name"] })).toThrow(/list-map key/);
  });

  it("bound every string, so CEL cost estimation has a maximum length", () => {
    expect(string("S.").maxLength).toBeGreaterThan(0);
    expect(string("S.", { maxLength: 10 }).maxLength).toBe(10);
    expect(enumOf("E.", ["A"]).maxLength).toBeUndefined();
  });

  it("keep the type name of a shared block when it is re-described", () => {
    const base = named("Thing", object("A thing.", { a: string("A.") }));
    const copy = redescribe(base, "Where it is used.");
    expect(copy.description).toBe("Where it is used.");
    expect(base.description).toBe("A thing.");
    expect(typeNameOf(copy)).toBe("Thing");
  });
});
