// Per-execution bearer tokens → the one execution + iteration they act for. The Execution
// controller registers a token when it creates the iteration pod and finishes it when the
// iteration ends (then 403), unregisters it when the execution is gone (then 401).
import { createHash, timingSafeEqual } from "node:crypto";
import type { ToolSpec } from "./providers/types.ts";

/** What `GET /v1/iteration` returns (docs/design/execution-loop.md). */
export interface IterationPayload {
  readonly systemPrompt: string;
  readonly task: string;
  readonly input?: unknown;
  readonly previousOutput?: string;
  /** The validators' feedback: text or any JSON value. */
  readonly feedback?: unknown;
  readonly tools: readonly ToolSpec[];
}

export interface ExecutionGrant {
  readonly token: string;
  readonly namespace: string;
  readonly execution: string;
  readonly uid: string;
  /** The Agent's name (the Cedar principal's parent); the execution's name stands in when absent. */
  readonly agent?: string;
  readonly iteration: number;
  /** The agent's model alias (spec.runtime.model). */
  readonly model: string;
  /** The agent's spec.tools patterns: what its tool calls may name. */
  readonly agentTools: readonly string[];
  readonly payload: IterationPayload;
}

export type Lookup = { status: 200; grant: ExecutionGrant } | { status: 401 | 403 };

export interface CredentialRegistry {
  /** Adds or replaces the grant of a token (a new iteration re-registers the execution's token). */
  register(grant: ExecutionGrant): void;
  /** The token stays known but is refused with 403 (a finished iteration or execution). */
  finish(token: string): void;
  /** Forgets the token (then 401). */
  unregister(token: string): void;
  lookup(token: string | undefined): Lookup;
  /** Whether the token is registered, unfinished, for exactly this iteration (the controller skips re-registering). */
  holds(token: string, uid: string, iteration: number): boolean;
  /** The unfinished grant of an execution uid's iteration (SEAL attestation finds a pod's grant with it). */
  grantOf(uid: string, iteration: number): ExecutionGrant | undefined;
}

const digest = (token: string): string => createHash("sha256").update(token).digest("hex");

export function createCredentialRegistry(): CredentialRegistry {
  // Keyed by a digest so the map lookup reveals nothing about the token; the final comparison is constant-time.
  const grants = new Map<string, { grant: ExecutionGrant; finished: boolean }>();
  return {
    register(grant) {
      if (grant.token.length < 16) throw new Error("an execution token needs at least 16 characters");
      grants.set(digest(grant.token), { grant, finished: false });
    },
    finish(token) {
      const entry = grants.get(digest(token));
      // The payload (prompts, input) is dropped: a finished grant only answers 403.
      if (entry !== undefined) grants.set(digest(token), { grant: { ...entry.grant, payload: { systemPrompt: "", task: "", tools: [] } }, finished: true });
    },
    unregister(token) {
      grants.delete(digest(token));
    },
    holds(token, uid, iteration) {
      const entry = grants.get(digest(token));
      return entry !== undefined && !entry.finished && entry.grant.uid === uid && entry.grant.iteration === iteration;
    },
    grantOf(uid, iteration) {
      for (const entry of grants.values()) {
        if (!entry.finished && entry.grant.uid === uid && entry.grant.iteration === iteration) return entry.grant;
      }
      return undefined;
    },
    lookup(token) {
      if (token === undefined || token === "") return { status: 401 };
      const entry = grants.get(digest(token));
      if (entry === undefined) return { status: 401 };
      const a = Buffer.from(entry.grant.token);
      const b = Buffer.from(token);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return { status: 401 };
      return entry.finished ? { status: 403 } : { status: 200, grant: entry.grant };
    },
  };
}
