import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube/types.ts";
import type { InformerEvent } from "../runtime/types.ts";
import { createConfigMapPolicies, GIT_COMMIT_ANNOTATION, POLICY_LABEL, policySourcesFor } from "./configmaps.ts";
import { revisionOf } from "./load.ts";
import { toolCallRequest } from "./tool-request.ts";

const PERMIT_READ = '@id("read")\npermit (principal, action == Action::"tool:invoke", resource == Tool::"fs.read");';
const FORBID_READ = '@id("no-read")\nforbid (principal, action == Action::"tool:invoke", resource == Tool::"fs.read");';

function cm(namespace: string, name: string, data: Record<string, string>, opts: { labelled?: boolean; commit?: string } = {}): KubeObject {
  return {
    apiVersion: "v1", kind: "ConfigMap",
    metadata: {
      namespace, name,
      ...(opts.labelled === false ? {} : { labels: { [POLICY_LABEL]: "true" } }),
      ...(opts.commit ? { annotations: { [GIT_COMMIT_ANNOTATION]: opts.commit } } : {}),
    },
    data,
  } as KubeObject;
}

function fakeInformer(initial: KubeObject[] = []) {
  const objects = new Map(initial.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
  const handlers: ((e: InformerEvent<KubeObject>) => void)[] = [];
  return {
    list: () => [...objects.values()],
    subscribe(h: (e: InformerEvent<KubeObject>) => void) {
      handlers.push(h);
      return () => handlers.splice(handlers.indexOf(h), 1);
    },
    put(o: KubeObject) {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const old = objects.get(key);
      objects.set(key, o);
      for (const h of handlers) h(old ? { type: "MODIFIED", object: o, old } : { type: "ADDED", object: o });
    },
    remove(o: KubeObject) {
      objects.delete(`${o.metadata.namespace}/${o.metadata.name}`);
      for (const h of handlers) h({ type: "DELETED", object: o });
    },
  };
}

const readRequest = (namespace: string) => {
  const r = toolCallRequest({ namespace, execution: "run", agent: "coder", iteration: 1, tool: "fs.read", arguments: { path: "a.txt" } });
  if (!r.ok) throw new Error(r.error);
  return r.request;
};

describe("policySourcesFor", () => {
  it("takes the .cedar keys of labelled ConfigMaps in the operator's namespace and the namespace itself, sorted by name", () => {
    const all = [
      cm("team-a", "mine", { "b.cedar": "B", "README.md": "no" }),
      cm("aegis-system", "cluster", { "a.cedar": "A" }),
      cm("team-b", "theirs", { "c.cedar": "C" }),
      cm("team-a", "unlabelled", { "d.cedar": "D" }, { labelled: false }),
    ];
    expect(policySourcesFor(all, "team-a", "aegis-system")).toEqual({
      sources: [{ name: "aegis-system/cluster/a.cedar", text: "A" }, { name: "team-a/mine/b.cedar", text: "B" }],
      commit: undefined,
    });
    expect(policySourcesFor(all, "aegis-system", "aegis-system").sources.map((s) => s.name)).toEqual(["aegis-system/cluster/a.cedar"]);
  });

  it("carries the Git commit annotations, joined when they differ", () => {
    const all = [cm("aegis-system", "x", { "a.cedar": "A" }, { commit: "c2" }), cm("team-a", "y", { "b.cedar": "B" }, { commit: "c1" })];
    expect(policySourcesFor(all, "team-a", "aegis-system").commit).toBe("c1,c2");
    expect(policySourcesFor(all, "team-b", "aegis-system").commit).toBe("c2");
  });
});

describe("createConfigMapPolicies", () => {
  it("keeps one store per namespace, updated on events; an invalid set keeps the last good one and is logged", () => {
    const informer = fakeInformer([cm("aegis-system", "cluster", { "read.cedar": PERMIT_READ })]);
    const errors: string[] = [];
    const log = { info: () => undefined, error: (_o: unknown, msg: string, arg: string) => errors.push(`${msg} ${arg}`) };
    const policies = createConfigMapPolicies({ configMaps: informer, operatorNamespace: "aegis-system", log: log as never });
    const a = policies.forNamespace("team-a");
    expect(policies.forNamespace("team-a")).toBe(a);
    expect(a.authorize(readRequest("team-a"), { validate: false }).decision).toBe("allow");

    // A namespace's own forbid applies to it only.
    informer.put(cm("team-a", "local", { "no-read.cedar": FORBID_READ }, { commit: "deadbeef" }));
    const denied = a.authorize(readRequest("team-a"), { validate: false });
    expect(denied).toMatchObject({ decision: "deny", reasons: ["team-a/local/no-read.cedar:no-read"], commit: "deadbeef" });
    expect(policies.forNamespace("team-b").authorize(readRequest("team-b"), { validate: false }).decision).toBe("allow");

    // A cluster-wide change reaches every namespace.
    informer.put(cm("aegis-system", "cluster", { "read.cedar": PERMIT_READ.replace("fs.read", "fs.list") }));
    expect(policies.forNamespace("team-b").authorize(readRequest("team-b"), { validate: false }).decision).toBe("deny");

    // Invalid: refused, logged with Cedar's message, the last good set stays.
    const good = a.current()?.policySet.revision;
    informer.put(cm("team-a", "local", { "no-read.cedar": "permit (principal, action, resource) when { context.pathh };" }));
    expect(a.current()?.policySet.revision).toBe(good);
    expect(errors.join("\n")).toMatch(/team-a\/local\/no-read\.cedar.*pathh/);

    // Deleted: the namespace's own policies no longer apply.
    informer.remove(cm("team-a", "local", {}));
    expect(a.current()?.policySet.revision).toBe(revisionOf([{ name: "aegis-system/cluster/read.cedar", text: PERMIT_READ.replace("fs.read", "fs.list") }]));
    policies.stop();
  });

  it("ignores unlabelled ConfigMaps, and a ConfigMap that loses its label stops applying", () => {
    const informer = fakeInformer([cm("aegis-system", "cluster", { "read.cedar": PERMIT_READ })]);
    const updates: string[] = [];
    const policies = createConfigMapPolicies({ configMaps: informer, operatorNamespace: "aegis-system", onUpdate: (ns) => updates.push(ns) });
    const a = policies.forNamespace("team-a");
    informer.put(cm("team-a", "plain", { "x.cedar": FORBID_READ }, { labelled: false }));
    expect(updates).toEqual(["team-a"]);
    informer.put(cm("team-a", "plain", { "x.cedar": FORBID_READ }));
    expect(a.authorize(readRequest("team-a"), { validate: false }).decision).toBe("deny");
    informer.put(cm("team-a", "plain", { "x.cedar": FORBID_READ }, { labelled: false }));
    expect(a.authorize(readRequest("team-a"), { validate: false }).decision).toBe("allow");
  });
});
