// Policy sources from labelled ConfigMaps (docs/policy.md, "Policies in ConfigMaps"): those in the
// operator's namespace apply to every namespace, a namespace's own apply to it too. One
// PolicyStore per namespace, kept up to date from the ConfigMap informer: a change applies at
// once, an invalid set is refused (Cedar's message logged) and the last good one stays in force.
import type { Logger } from "pino";
import type { KubeObject } from "../kube/types.ts";
import type { Informer } from "../runtime/types.ts";
import { formatPolicyError, type PolicySource } from "./load.ts";
import { PolicyStore, type UpdateResult } from "./store.ts";

/** ConfigMaps with this label set to "true" hold policies. */
export const POLICY_LABEL = "aegis.dev/policy";
/**
 * The Git commit the ConfigMap was synced from, set by the sync tool or the CI that renders it
 * (Argo CD's `argocd.argoproj.io/tracking-id` names the application, not a commit, so it is not used).
 */
export const GIT_COMMIT_ANNOTATION = "aegis.dev/git-commit";
/** Only these keys are policies; others (README, *.test.yaml cases) may sit beside them. */
export const POLICY_KEY_SUFFIX = ".cedar";

export interface NamespaceSources {
  readonly sources: readonly PolicySource[];
  /** The Git commit(s), sorted and comma-joined when the ConfigMaps disagree; undefined when none is annotated. */
  readonly commit: string | undefined;
}

export const isPolicyConfigMap = (cm: KubeObject): boolean => cm.metadata.labels?.[POLICY_LABEL] === "true";

/**
 * Pure: the sources in force in `namespace`, from the labelled ConfigMaps of the operator's
 * namespace and of `namespace`. Names are `<namespace>/<configmap>/<key>`.
 */
export function policySourcesFor(configMaps: readonly KubeObject[], namespace: string, operatorNamespace: string): NamespaceSources {
  const sources: PolicySource[] = [];
  const commits = new Set<string>();
  for (const cm of configMaps) {
    const ns = cm.metadata.namespace ?? "";
    if ((ns !== operatorNamespace && ns !== namespace) || !isPolicyConfigMap(cm)) continue;
    const data = (cm as { data?: Record<string, unknown> }).data ?? {};
    const keys = Object.keys(data).filter((k) => k.endsWith(POLICY_KEY_SUFFIX) && typeof data[k] === "string");
    for (const key of keys) sources.push({ name: `${ns}/${cm.metadata.name ?? ""}/${key}`, text: data[key] as string });
    const commit = cm.metadata.annotations?.[GIT_COMMIT_ANNOTATION]?.trim();
    if (keys.length > 0 && commit) commits.add(commit);
  }
  sources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { sources, commit: commits.size === 0 ? undefined : [...commits].sort().join(",") };
}

export interface NamespacePolicies {
  /** The store of a namespace (created from the cache on first use, then kept up to date). */
  forNamespace(namespace: string): PolicyStore;
  stop(): void;
}

export interface ConfigMapPolicyOptions {
  readonly configMaps: Pick<Informer<KubeObject>, "list" | "subscribe">;
  readonly operatorNamespace: string;
  readonly log?: Logger;
  /** After each update of a namespace's store (tests, metrics). */
  readonly onUpdate?: (namespace: string, result: UpdateResult) => void;
}

/** The informer glue: one store per namespace asked for, recompiled when its ConfigMaps change. */
export function createConfigMapPolicies(o: ConfigMapPolicyOptions): NamespacePolicies {
  const stores = new Map<string, PolicyStore>();

  const refresh = (namespace: string, store: PolicyStore): void => {
    const { sources, commit } = policySourcesFor(o.configMaps.list(), namespace, o.operatorNamespace);
    const result = store.update(sources, commit === undefined ? {} : { commit });
    if (!result.ok) {
      o.log?.error({ namespace, revisionInForce: result.revision, errors: result.errors.map(formatPolicyError) },
        "Policy set refused (the last good set stays in force): %s", result.errors.map(formatPolicyError).join("; "));
    } else if (result.changed) {
      o.log?.info({ namespace, revision: result.revision, commit, sources: sources.length }, "Policy set installed");
    }
    o.onUpdate?.(namespace, result);
  };

  const unsubscribe = o.configMaps.subscribe((event) => {
    const touched = [event.object, event.old].filter((cm): cm is KubeObject => cm !== undefined && isPolicyConfigMap(cm));
    if (touched.length === 0) return;
    const ns = event.object.metadata.namespace ?? "";
    if (ns === o.operatorNamespace) for (const [name, store] of stores) refresh(name, store);
    else {
      const store = stores.get(ns);
      if (store) refresh(ns, store);
    }
  });

  return {
    forNamespace(namespace) {
      let store = stores.get(namespace);
      if (!store) {
        store = new PolicyStore();
        stores.set(namespace, store);
        refresh(namespace, store);
      }
      return store;
    },
    stop: unsubscribe,
  };
}
