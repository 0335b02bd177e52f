// Holds the policy set in force. An update that does not compile is refused and the last good set
// stays in force, so a bad ConfigMap edit never opens (or closes) everything.
import { authorize, type AuthorizationRequest, type AuthorizeOptions, type Decision } from "./authorize.ts";
import { compilePolicies, type CompiledPolicySet, type PolicyError, type PolicySource } from "./load.ts";

export type UpdateResult =
  | { readonly ok: true; readonly revision: string; readonly changed: boolean }
  | { readonly ok: false; readonly errors: readonly PolicyError[]; readonly revision: string | undefined };

export interface PolicyStoreState {
  readonly policySet: CompiledPolicySet;
  /** The Git commit the sources came from, when a sync tool annotated them. */
  readonly commit: string | undefined;
}

export interface StoreDecision extends Decision {
  readonly commit: string | undefined;
}

export class PolicyStore {
  #state: PolicyStoreState | undefined;

  /** Compiles and, if valid, installs the sources. `revision` on failure is the one still in force. */
  update(sources: readonly PolicySource[], meta: { commit?: string } = {}): UpdateResult {
    const result = compilePolicies(sources);
    if (!result.ok) return { ok: false, errors: result.errors, revision: this.#state?.policySet.revision };
    const changed = result.policySet.revision !== this.#state?.policySet.revision || meta.commit !== this.#state?.commit;
    if (changed) this.#state = { policySet: result.policySet, commit: meta.commit };
    return { ok: true, revision: result.policySet.revision, changed };
  }

  /** The set in force, or undefined before the first good update. */
  current(): PolicyStoreState | undefined {
    return this.#state;
  }

  /** Decides with the set in force; with none, everything is denied (fail closed). */
  authorize(request: AuthorizationRequest, options: AuthorizeOptions = {}): StoreDecision {
    const state = this.#state;
    if (!state) return { decision: "deny", reasons: [], errors: ["no policy set loaded"], revision: "", commit: undefined };
    return { ...authorize(state.policySet, request, options), commit: state.commit };
  }
}
