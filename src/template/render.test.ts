import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lookup, renderTemplate } from "./render.ts";

describe("renderTemplate", () => {
  const ctx = { input: { feature: "slugify", n: 3, tags: ["a"] }, feedback: "", instruction: "Be careful." };

  it.each([
    ["Feature: {{input.feature}}", "Feature: slugify"],
    ["{{ input.n }} and {{input}}", `3 and ${JSON.stringify(ctx.input)}`],
    ["[{{missing.path}}]", "[]"],
    ["{{#if feedback}}rejected: {{feedback}}{{/if}}done", "done"],
    ["{{#if input.feature}}yes{{else}}no{{/if}}", "yes"],
    ["{{#if feedback}}yes{{else}}no{{/if}}", "no"],
    ["{{#if input}}{{#if input.tags}}T{{else}}F{{/if}}{{/if}}", "T"],
    ["{{#if nothing}}{{#if input}}X{{/if}}{{else}}E{{/if}}", "E"],
    ["stray {{/if}} and {{else}}", "stray {{/if}} and {{else}}"],
    ["open {{#if input}}never closed {{input.n}}", "open {{#if input}}never closed 3"],
    ["{{{not a tag}}", "{{{not a tag}}"],
  ])("%s", (template, expected) => {
    expect(renderTemplate(template, ctx)).toBe(expected);
  });

  it("the example agent's template renders the feedback only on refinements", () => {
    const template = "Feature request: {{input.feature}}\n{{#if feedback}}The previous attempt was rejected: {{feedback}}{{/if}}";
    expect(renderTemplate(template, { input: { feature: "x" } })).toBe("Feature request: x\n");
    expect(renderTemplate(template, { input: { feature: "x" }, feedback: "tests fail" })).toBe("Feature request: x\nThe previous attempt was rejected: tests fail");
  });

  it("does not read inherited properties", () => {
    expect(lookup({}, "constructor")).toBeUndefined();
    expect(renderTemplate("{{toString}}", {})).toBe("");
  });

  it("text without tags is unchanged, and any template renders without throwing (property)", () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes("{{")), (text) => {
      expect(renderTemplate(text, ctx)).toBe(text);
    }));
    fc.assert(fc.property(fc.array(fc.constantFrom("{{#if feedback}}", "{{#if input}}", "{{else}}", "{{/if}}", "{{input.n}}", "x", "{{", "}}")), (parts) => {
      expect(typeof renderTemplate(parts.join(""), ctx)).toBe("string");
    }));
  });
});
