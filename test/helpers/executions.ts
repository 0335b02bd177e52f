/**
 * Watching Executions in tests: every phase change as `kubectl get executions -w` shows it, and
 * waiting for a phase.
 */
import { afterAll, expect } from "vitest";
import { EXECUTIONS } from "../../src/kube/resources.ts";
import type { KubeClient, KubeObject } from "../../src/kube/types.ts";
import { eventually } from "./eventually.ts";

export type ExecutionObject = KubeObject & {
  status?: {
    phase?: string; iterationDisplay?: string; reason?: string; message?: string; score?: number; tokens?: number; cost?: number; outputPreview?: string;
    iterations?: { number: number; phase: string; feedback?: string }[];
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
};

/** Phase watchers of one test file; each is stopped after the file's tests. */
export function phaseRecorder(kube: () => KubeClient): (namespace: string, name: string) => Promise<string[]> {
  const watches: AbortController[] = [];
  afterAll(() => {
    for (const w of watches) w.abort();
  });
  return async (namespace, name) => {
    const phases: string[] = [];
    const { resourceVersion } = await kube().list(EXECUTIONS, { namespace });
    const abort = new AbortController();
    watches.push(abort);
    void kube().watch<ExecutionObject>(EXECUTIONS, { namespace, fieldSelector: `metadata.name=${name}`, resourceVersion, signal: abort.signal, timeoutSeconds: 300 }, (_type, obj) => {
      const phase = obj.status?.phase;
      if (phase !== undefined && phases.at(-1) !== phase) phases.push(phase);
    }).catch(() => {});
    return phases;
  };
}

export async function waitForPhase(kube: KubeClient, namespace: string, name: string, phase: string, timeoutMs = 90_000): Promise<ExecutionObject> {
  return eventually(async () => {
    const ex = await kube.get<ExecutionObject>(EXECUTIONS, namespace, name);
    expect(ex.status?.phase, JSON.stringify(ex.status)).toBe(phase);
    return ex;
  }, { timeoutMs, message: `execution ${name} ${phase}` });
}
