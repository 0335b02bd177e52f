import { describe, expect, it } from "vitest";
import { KubeApiError } from "../kube/errors.ts";
import { isTransient } from "./informer.ts";

describe("isTransient", () => {
  it.each([
    [new KubeApiError("Unreachable", 0, "ECONNRESET"), true, "a dropped connection clears on retry"],
    [new KubeApiError("ServiceUnavailable", 503, "paths not installed yet"), true, "a starting API server answers 503"],
    [new KubeApiError("TooManyRequests", 429, "storage is (re)initializing"), true, "a starting API server answers 429"],
    [new KubeApiError("Forbidden", 403, "no"), false, "missing RBAC does not clear by waiting"],
    [new Error("boom"), false, "an unknown error is not assumed transient"],
  ])("%o → %s (%s)", (err, expected) => {
    expect(isTransient(err)).toBe(expected);
  });
});
