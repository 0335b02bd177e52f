// What a user sees: printer columns filled from a status written through the status
// subresource, `kubectl get aegis`, and `kubectl explain` teaching the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, deleteNamespace, eventually, kubectl } from "../helpers/cluster.ts";
import { validAgent, validExecution, variant } from "../fixtures/aegis.ts";

let namespace: string;
beforeAll(async () => {
  namespace = await createNamespace("columns");
});
afterAll(async () => {
  if (namespace) await deleteNamespace(namespace);
});

async function ok(args: string[], input?: string): Promise<string> {
  const result = await kubectl(args, input === undefined ? { namespace } : { namespace, input });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

/** Splits `kubectl get` output into rows of whitespace-separated cells. */
const table = (out: string): string[][] => out.trim().split("\n").map((line) => line.trim().split(/\s{2,}/));

describe("kubectl get executions", () => {
  it("shows AGENT PHASE ITERATION SCORE TOKENS AGE, filled from the status subresource", async () => {
    const execution = variant(validExecution(), (m) => { m.metadata.name = "coder-run"; m.spec.agentRef = { name: "python-coder" }; });
    await ok(["apply", "-f", "-"], JSON.stringify(execution));
    const status = {
      status: {
        observedGeneration: 1,
        phase: "Refining",
        iteration: 2,
        maxIterations: 5,
        iterationDisplay: "2/5",
        score: 0.65,
        tokens: 12345,
        conditions: [{ type: "Ready", status: "True", reason: "Started", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" }],
      },
    };
    await ok(["patch", "execution", "coder-run", "--subresource=status", "--type=merge", "-p", JSON.stringify(status)]);

    const rows = await eventually(async () => {
      const t = table(await ok(["get", "executions"]));
      expect(t[1]?.[2]).toBe("Refining");
      return t;
    });
    expect(rows[0]).toEqual(["NAME", "AGENT", "PHASE", "ITERATION", "SCORE", "TOKENS", "AGE"]);
    expect(rows[1]?.slice(0, 6)).toEqual(["coder-run", "python-coder", "Refining", "2/5", "0.65", "12345"]);
  });

  it("keeps spec writes from changing the status (status subresource)", async () => {
    const execution = variant(validExecution(), (m) => { m.metadata.name = "no-status-via-spec"; });
    await ok(["apply", "-f", "-"], JSON.stringify({ ...execution, status: { phase: "Succeeded" } }));
    const out = await ok(["get", "execution", "no-status-via-spec", "-o", "jsonpath={.status.phase}"]);
    expect(out).toBe("");
  });
});

describe("kubectl get agents and aegis", () => {
  it("shows MODEL and READY (from the Ready condition)", async () => {
    const agent = variant(validAgent(), (m) => { m.metadata.name = "columns-agent"; m.spec.runtime.model = "smart"; });
    await ok(["apply", "-f", "-"], JSON.stringify(agent));
    const ready = { status: { conditions: [{ type: "Ready", status: "True", reason: "Resolved", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" }] } };
    await ok(["patch", "agent", "columns-agent", "--subresource=status", "--type=merge", "-p", JSON.stringify(ready)]);
    const rows = table(await ok(["get", "agents"]));
    expect(rows[0]).toEqual(["NAME", "MODEL", "READY", "AGE"]);
    expect(rows[1]?.slice(0, 3)).toEqual(["columns-agent", "smart", "True"]);
  });

  it("lists every aegis kind with `kubectl get aegis`", async () => {
    const out = await ok(["get", "aegis", "-o", "name"]);
    expect(out).toContain("agent.aegis.dev/columns-agent");
    expect(out).toContain("execution.aegis.dev/coder-run");
  });
});

/** kubectl explain wraps text at 80 columns: compare with whitespace collapsed. */
const explain = async (path: string): Promise<string> => (await ok(["explain", path])).replace(/\s+/g, " ");

describe("kubectl explain", () => {
  it("teaches agent.spec", async () => {
    const out = await explain("agent.spec");
    expect(out).toContain("Desired agent definition.");
    expect(out).toContain("runtime <Object> -required-");
    expect(out).toContain("Either image (a custom container image) or language with version");
  });

  it("teaches agent.spec.execution.validation, with types, defaults and enums", async () => {
    const out = await explain("agent.spec.execution.validation");
    expect(out).toContain("The iteration passes when score >= minScore");
    expect(out).toContain("type <string> -required- enum: ExitCode, Regex, JSONSchema");
    expect(out).toContain("Kind of validator: ExitCode, Regex, JSONSchema, Semantic or MultiJudge.");
  });

  it("teaches Execution status fields a controller writes", async () => {
    const out = await explain("execution.status.iterationDisplay");
    expect(out).toContain("the Iteration printer column");
  });
});
