import { describe, expect, it } from "vitest";
import { controllerOf, controllerReference, isControlledBy, isOwnedBy, withControllerReference, type Owner } from "./owners.ts";

const agent: Owner = { apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "a", namespace: "ns", uid: "u1" } };
const other: Owner = { apiVersion: "aegis.dev/v1alpha1", kind: "Agent", metadata: { name: "b", namespace: "ns", uid: "u2" } };
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "ns" } };

describe("owner references", () => {
  it("builds a controller reference", () => {
    expect(controllerReference(agent)).toEqual({ apiVersion: "aegis.dev/v1alpha1", kind: "Agent", name: "a", uid: "u1", controller: true, blockOwnerDeletion: true });
  });

  it("refuses an owner without a uid", () => {
    expect(() => controllerReference({ ...agent, metadata: { name: "a" } })).toThrow(/uid/);
  });

  it("sets the controller once, idempotently, and answers the checks", () => {
    const owned = withControllerReference(pod, agent);
    expect(withControllerReference(owned, agent)).toEqual(owned);
    expect(controllerOf(owned)?.uid).toBe("u1");
    expect(isOwnedBy(owned, agent)).toBe(true);
    expect(isControlledBy(owned, agent)).toBe(true);
    expect(isOwnedBy(owned, other)).toBe(false);
    expect(isOwnedBy(pod, agent)).toBe(false);
    expect(pod.metadata).not.toHaveProperty("ownerReferences");
  });

  it("keeps non-controller owners and refuses a second controller", () => {
    const shared = { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "c", uid: "c1" }] } };
    const owned = withControllerReference(shared, agent);
    expect(owned.metadata.ownerReferences?.map((r) => r.uid)).toEqual(["c1", "u1"]);
    expect(isOwnedBy(owned, { metadata: { uid: "c1" } })).toBe(true);
    expect(isControlledBy(owned, { metadata: { uid: "c1" } })).toBe(false);
    expect(() => withControllerReference(owned, other)).toThrow(/already controlled by Agent a/);
  });
});
