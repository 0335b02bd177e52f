// Validators score an iteration's output (Agent execution.validation, Workflow judges). One flat
// object tagged by `type`; CEL says which fields each type needs, since the schema alone can't.
import {
  array, enumOf, integer, jsonObject, named, number, object, rule, string, type Schema,
} from "./builders.ts";
import { duration, objectName } from "./common.ts";

export const VALIDATOR_TYPES = ["ExitCode", "Regex", "JSONSchema", "Semantic", "MultiJudge"] as const;
export const CONSENSUS_STRATEGIES = ["WeightedAverage", "Majority", "Unanimous", "BestOfN"] as const;

const score = (description: string): Schema => number(description, { minimum: 0, maximum: 1 });

/** A judge: an Agent that returns {score, confidence, reasoning} as JSON. */
export const judge = named(
  "Judge",
  object("A judge agent whose verdict counts toward the consensus.", {
    agent: objectName("Name of the judge Agent in the same namespace, e.g. code-review-judge."),
    weight: number("Relative weight of this judge in WeightedAverage consensus. Default 1.", { minimum: 0, maximum: 100, default: 1 }),
    inputTemplate: string(
      "Handlebars template for the judge's input; the output under review is {{output}}. Default: the output and the criteria.",
      { maxLength: 8192 },
    ),
  }, { required: ["agent"] }),
);

const fieldsOnlyFor = (field: string, type: string): ReturnType<typeof rule> =>
  rule(`!has(self.${field}) || self.type == '${type}'`, `${field} is only allowed when type is ${type}`, `.${field}`);

/** One validator. */
export const validator = named(
  "Validator",
  object(
    "A validator that scores an iteration's output between 0 and 1. The iteration passes when score >= minScore and confidence >= minConfidence. Types: ExitCode (the process must exit with `expected`), Regex (output must match `pattern`), JSONSchema (output must be JSON valid against `schema`), Semantic (a judge agent grades the output against `criteria`), MultiJudge (several `judges` grade it and `consensus` combines their scores).",
    {
      type: enumOf("Kind of validator: ExitCode, Regex, JSONSchema, Semantic or MultiJudge.", VALIDATOR_TYPES),
      minScore: score(
        "Minimum score (0–1) to pass. Defaults: 1.0 for ExitCode, Regex and JSONSchema; 0.7 for Semantic and MultiJudge.",
      ),
      minConfidence: score("Minimum judge confidence (0–1) to pass. Default 0 (any confidence)."),
      expected: integer("ExitCode: the exit code that passes. Default 0.", { minimum: 0, maximum: 255 }),
      pattern: string(
        "Regex: the regular expression (RE2 syntax) the target must match, e.g. \"(?m)^ok\\\\s+\\\\d+ tests passed$\".",
        { maxLength: 1024, minLength: 1 },
      ),
      target: enumOf("Regex: what the pattern is matched against: Output (the agent's final answer, default), Stdout or Stderr.",
        ["Output", "Stdout", "Stderr"]),
      schema: jsonObject("JSONSchema: the JSON Schema (draft 2020-12) the output must satisfy. Code fences around the JSON are stripped."),
      judgeAgent: objectName("Semantic: name of the judge Agent in the same namespace."),
      criteria: string(
        "Semantic and MultiJudge: what the judges grade, in plain language, e.g. \"The code compiles and every test passes.\"",
        { maxLength: 8192, minLength: 1 },
      ),
      judges: array("MultiJudge: the judges; at least one.", judge, 9, { minItems: 1 }),
      consensus: enumOf(
        "MultiJudge: how judge scores combine: WeightedAverage (default), Majority, Unanimous or BestOfN.",
        CONSENSUS_STRATEGIES,
      ),
      minJudgesRequired: integer("MultiJudge: how many judges must answer for a verdict. Default 1; at most the number of judges.", {
        minimum: 1, maximum: 9,
      }),
      timeout: duration("Semantic and MultiJudge: how long to wait for the judges. Default 300s."),
    },
    {
      required: ["type"],
      rules: [
        rule("self.type != 'Regex' || has(self.pattern)", "pattern is required when type is Regex", ".pattern", "FieldValueRequired"),
        rule("self.type != 'JSONSchema' || has(self.schema)", "schema is required when type is JSONSchema", ".schema", "FieldValueRequired"),
        rule("self.type != 'Semantic' || has(self.judgeAgent)", "judgeAgent is required when type is Semantic", ".judgeAgent", "FieldValueRequired"),
        rule("!(self.type in ['Semantic', 'MultiJudge']) || has(self.criteria)",
          "criteria is required when type is Semantic or MultiJudge", ".criteria", "FieldValueRequired"),
        rule("self.type != 'MultiJudge' || has(self.judges)", "judges is required when type is MultiJudge", ".judges", "FieldValueRequired"),
        rule("!has(self.minJudgesRequired) || (has(self.judges) && self.minJudgesRequired <= size(self.judges))",
          "minJudgesRequired cannot exceed the number of judges", ".minJudgesRequired"),
        fieldsOnlyFor("expected", "ExitCode"),
        fieldsOnlyFor("pattern", "Regex"),
        fieldsOnlyFor("target", "Regex"),
        fieldsOnlyFor("schema", "JSONSchema"),
        fieldsOnlyFor("judgeAgent", "Semantic"),
        fieldsOnlyFor("judges", "MultiJudge"),
        fieldsOnlyFor("consensus", "MultiJudge"),
      ],
    },
  ),
);
