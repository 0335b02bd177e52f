import { describe, expect, it } from "vitest";
import { decide, type PhaseInput, type PodView, type Validation } from "./phase.ts";
import { readAgent, type AgentView } from "./spec.ts";
import { executionStatus } from "./status.ts";
import type { ExecutionStatusView } from "./status-view.ts";

const NOW = new Date("2030-01-01T00:10:00Z");
const STARTED = "2030-01-01T00:05:00Z";
const readyAgent: AgentView = readAgent("agent", {
  runtime: { image: "docker.io/library/busybox" }, task: { instruction: "do" }, execution: { mode: "Iterative", maxIterations: 3 },
}, { image: "busybox", conditions: [{ type: "Ready", status: "True" }] });
const unready: AgentView = { ...readyAgent, ready: false, notReadyMessage: "Agent agent is not Ready: no model" };

const status = (s: Partial<ExecutionStatusView>): ExecutionStatusView => ({ phase: "Pending", iteration: 0, iterations: [], ...s });
const running = (n: number, extra: Partial<ExecutionStatusView> = {}) =>
  status({ phase: "Running", iteration: n, startTime: STARTED, podName: `run-${n}`, iterations: [{ number: n, phase: "Running", podName: `run-${n}` }], ...extra });
const pod = (phase: string, exitCode: number | null = null, extra: Partial<PodView> = {}): PodView =>
  ({ name: "run-1", phase, exitCode, deleting: false, ...extra });
const validating = (n: number, exitCode = 0) =>
  status({ phase: "Validating", iteration: n, startTime: STARTED, iterations: [{ number: n, phase: "Validating", exitCode }] });
const pass: Validation = { passed: true, score: 1, confidence: 1, feedback: "" };
const fail: Validation = { passed: false, score: 0, confidence: 1, feedback: "exit code 1, expected 0" };

const input = (over: Partial<PhaseInput>): PhaseInput => ({ name: "run", spec: { agentRef: { name: "agent" } }, status: status({}), agent: readyAgent, pod: undefined, now: NOW, ...over });

describe("decide: every transition", () => {
  it.each([
    ["a new run with a Ready agent starts iteration 1", input({}), "createPod", "Running", 1],
    ["a run never recorded is recorded Pending first", input({ unrecorded: true }), "wait", "Pending", 0],
    ["an agent that does not exist makes the run wait", input({ agent: undefined }), "wait", "Pending", 0],
    ["an agent that is not Ready makes the run wait", input({ agent: unready }), "wait", "Pending", 0],
    ["Running with its pod not yet in the cache re-creates it (AlreadyExists is fine)", input({ status: running(1) }), "createPod", "Running", 1],
    ["Running with the pod running waits", input({ status: running(1), pod: pod("Running") }), "wait", "Running", 1],
    ["Running with the pod pending waits", input({ status: running(1), pod: pod("Pending") }), "wait", "Running", 1],
    ["the pod succeeded: Validating", input({ status: running(1), pod: pod("Succeeded", 0) }), "wait", "Validating", 1],
    ["the pod failed: Validating too (validators decide)", input({ status: running(1), pod: pod("Failed", 2) }), "wait", "Validating", 1],
    ["a started pod that vanished is scored as killed", input({ status: running(1, { iterations: [{ number: 1, phase: "Running", startTime: STARTED }] }) }), "wait", "Validating", 1],
    ["Validating without a result asks for validation", input({ status: validating(1) }), "validate", "Validating", 1],
    ["validators passed: Succeeded", input({ status: validating(1), validation: pass }), "wait", "Succeeded", 1],
    ["validators failed with iterations left: Refining", input({ status: validating(1), validation: fail }), "wait", "Refining", 1],
    ["validators failed on the last iteration: Failed", input({ status: validating(3), validation: fail }), "wait", "Failed", 3],
    ["Refining starts the next iteration", input({ status: status({ phase: "Refining", iteration: 1, startTime: STARTED }) }), "createPod", "Running", 2],
    ["Refining waits for an agent that stopped being Ready", input({ status: status({ phase: "Refining", iteration: 1, startTime: STARTED }), agent: unready }), "wait", "Refining", 1],
    ["spec.cancel with a running pod deletes it: Cancelled", input({ spec: { agentRef: { name: "agent" }, cancel: true }, status: running(1), pod: pod("Running") }), "deletePod", "Cancelled", 1],
    ["spec.cancel before any pod: Cancelled", input({ spec: { agentRef: { name: "agent" }, cancel: true } }), "wait", "Cancelled", 0],
    ["the overall timeout passed: Failed, pod deleted", input({ spec: { agentRef: { name: "agent" }, timeout: "60s" }, status: running(1), pod: pod("Running") }), "deletePod", "Failed", 1],
    ["a terminal run never changes", input({ status: status({ phase: "Succeeded", iteration: 1 }), spec: { agentRef: { name: "agent" }, cancel: true } }), "wait", "Succeeded", 1],
    ["a Cancelled run whose pod still runs deletes it again", input({ status: status({ phase: "Cancelled", iteration: 1 }), pod: pod("Running") }), "deletePod", "Cancelled", 1],
  ] as const)("%s", (_why, given, action, phase, iteration) => {
    const d = decide(given);
    expect([d.action.kind, d.status.phase, d.status.iteration]).toEqual([action, phase, iteration]);
  });
});

describe("decide: status details", () => {
  it("iterationDisplay, maxIterations and the pod name of a started iteration", () => {
    const d = decide(input({ status: status({ phase: "Refining", iteration: 1, startTime: STARTED }) }));
    expect(d.status).toMatchObject({ iterationDisplay: "2/3", maxIterations: 3, podName: "run-2", startTime: STARTED });
    expect(d.action).toEqual({ kind: "createPod", iteration: 2, podName: "run-2" });
  });
  it("a OneShot agent allows one iteration unless the Execution says otherwise", () => {
    const oneShot = { ...readyAgent, mode: "OneShot" as const };
    expect(decide(input({ agent: oneShot })).status.iterationDisplay).toBe("1/1");
    expect(decide(input({ agent: oneShot, spec: { agentRef: { name: "agent" }, maxIterations: 4 } })).status.iterationDisplay).toBe("1/4");
  });
  it("a failed iteration keeps its feedback and exit code; the score is the best so far", () => {
    const d = decide(input({ status: { ...validating(1, 1), score: 0.4 }, validation: { ...fail, score: 0.2 } }));
    expect(d.status.iterations[0]).toMatchObject({ number: 1, phase: "Failed", exitCode: 1, feedback: fail.feedback, score: 0.2 });
    expect(d.status.score).toBe(0.4);
  });
  it("the exit code reaches validation", () => {
    expect(decide(input({ status: validating(1, 7) })).action).toEqual({ kind: "validate", iteration: 1, exitCode: 7 });
  });
  it("the timeout gives reason Timeout and a completion time", () => {
    const d = decide(input({ spec: { agentRef: { name: "agent" }, timeout: "60s" }, status: running(1), pod: pod("Running") }));
    expect(d.status).toMatchObject({ reason: "Timeout", completionTime: "2030-01-01T00:10:00Z" });
  });
  it("a running run requeues at its overall timeout", () => {
    const d = decide(input({ spec: { agentRef: { name: "agent" }, timeout: "10m" }, status: running(1), pod: pod("Running") }));
    expect(d.requeueAfterMs).toBe(5 * 60_000);
  });
});

describe("conditions", () => {
  it.each([
    ["waiting for the agent: Ready False AgentNotReady", input({ agent: unready }), ["False", "AgentNotReady"], "Unknown"],
    ["running: Ready True with the phase as reason", input({ status: running(1), pod: pod("Running") }), ["True", "Running"], "Unknown"],
    ["validating: Ready True Validating", input({ status: running(1), pod: pod("Succeeded", 0) }), ["True", "Validating"], "Unknown"],
    ["succeeded: Ready and Succeeded True ValidatorsPassed", input({ status: validating(1), validation: pass }), ["True", "ValidatorsPassed"], "True"],
    ["failed: Succeeded False MaxIterationsReached", input({ status: validating(3), validation: fail }), ["False", "MaxIterationsReached"], "False"],
    ["cancelled: Succeeded False Cancelled", input({ spec: { agentRef: { name: "agent" }, cancel: true } }), ["False", "Cancelled"], "False"],
  ] as const)("%s", (_why, given, ready, succeeded) => {
    const desired = executionStatus(decide(given));
    const find = (t: string) => desired.conditions.find((c) => c.type === t);
    expect([find("Ready")?.status, find("Ready")?.reason]).toEqual(ready);
    expect(find("Succeeded")?.status).toBe(succeeded);
  });
  it("Cancelled is only present once cancelled", () => {
    expect(executionStatus(decide(input({}))).conditions.map((c) => c.type)).not.toContain("Cancelled");
    const cancelled = executionStatus(decide(input({ spec: { agentRef: { name: "agent" }, cancel: true } })));
    expect(cancelled.conditions.find((c) => c.type === "Cancelled")).toMatchObject({ status: "True", reason: "Cancelled" });
  });
});
