import { ApiException } from "@kubernetes/client-node";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KUBE_REASONS, KubeApiError } from "./errors.ts";
import { fromHttp, fromStatus, parseRetryAfter, translateError } from "./translate.ts";

const status = (code: number, reason: string, extra: Record<string, unknown> = {}) => ({
  kind: "Status", apiVersion: "v1", status: "Failure", message: `${reason} message`, reason, code, ...extra,
});

describe("fromHttp", () => {
  it.each([
    { reason: "NotFound", body: status(404, "NotFound"), http: 404 },
    { reason: "AlreadyExists", body: status(409, "AlreadyExists"), http: 409 },
    { reason: "Conflict", body: status(409, "Conflict"), http: 409 },
    { reason: "Invalid", body: status(422, "Invalid"), http: 422 },
    { reason: "Forbidden", body: status(403, "Forbidden"), http: 403 },
    { reason: "Unauthorized", body: status(401, "Unauthorized"), http: 401 },
    { reason: "Gone", body: status(410, "Gone"), http: 410 },
    { reason: "Gone", body: status(410, "Expired"), http: 410, why: "an expired continue token" },
    { reason: "ServerError", body: status(500, "InternalError"), http: 500 },
    { reason: "Timeout", body: status(504, "Timeout"), http: 504 },
    { reason: "Timeout", body: status(500, "ServerTimeout"), http: 500 },
    { reason: "TooManyRequests", body: status(429, "TooManyRequests"), http: 429 },
    { reason: "BadRequest", body: status(415, "UnsupportedMediaType"), http: 415 },
    { reason: "ServiceUnavailable", body: "service unavailable", http: 503, why: "text body" },
    { reason: "NotFound", body: "", http: 404, why: "empty body" },
    { reason: "Conflict", body: JSON.stringify(status(409, "Conflict")), http: 409, why: "Status as JSON text" },
    { reason: "Forbidden", body: status(403, "SomethingNew"), http: 403, why: "unknown reason falls back to the code" },
    { reason: "ServerError", body: undefined, http: 502, why: "other 5xx" },
    { reason: "BadRequest", body: undefined, http: 418, why: "other 4xx" },
  ])("$http $body.reason → $reason", ({ reason, body, http }) => {
    const err = fromHttp({ status: http, body });
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.reason).toBe(reason);
    expect(err.code).toBe(http);
  });

  it("keeps field causes and Retry-After", () => {
    const err = fromHttp({
      status: 422,
      headers: { "Retry-After": "7" },
      body: status(422, "Invalid", {
        details: { causes: [{ reason: "FieldValueRequired", message: "Required value", field: "spec.runtime.version" }, "junk"] },
      }),
    });
    expect(err.causes).toEqual([{ reason: "FieldValueRequired", message: "Required value", field: "spec.runtime.version" }]);
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.message).toBe("Invalid message");
  });

  it("reads retryAfterSeconds from Status details when there is no header", () => {
    expect(fromHttp({ status: 429, body: status(429, "TooManyRequests", { details: { retryAfterSeconds: 3 } }) }).retryAfterSeconds).toBe(3);
  });
});

describe("fromStatus (a watch ERROR event)", () => {
  it("turns 410 into Gone without an HTTP status", () => {
    const err = fromStatus(status(410, "Expired", { message: "too old resource version: 1 (2)" }));
    expect(err.reason).toBe("Gone");
    expect(err.code).toBe(410);
  });
});

describe("parseRetryAfter", () => {
  it.each([
    { value: "5", want: 5 },
    { value: ["9"], want: 9 },
    { value: 2.5, want: 3 },
    { value: "Thu, 01 Jan 1970 00:00:10 GMT", want: 10, why: "an HTTP date, 10 s after now=0" },
    { value: "soon", want: undefined },
    { value: -1, want: undefined },
    { value: undefined, want: undefined },
  ])("$value → $want", ({ value, want }) => {
    expect(parseRetryAfter(value, 0)).toBe(want);
  });
});

describe("translateError", () => {
  it("keeps a KubeApiError as it is", () => {
    const err = new KubeApiError("Conflict", 409, "x");
    expect(translateError(err)).toBe(err);
  });

  it("translates client-node's ApiException with a JSON body", () => {
    const err = translateError(new ApiException(404, "Not Found", JSON.stringify(status(404, "NotFound")), {}));
    expect(err.reason).toBe("NotFound");
    expect(err.code).toBe(404);
    expect(err.cause).toBeInstanceOf(ApiException);
  });

  it.each([
    { code: "ECONNREFUSED", reason: "Unreachable" },
    { code: "ECONNRESET", reason: "Unreachable" },
    { code: "ENOTFOUND", reason: "Unreachable" },
    { code: "ETIMEDOUT", reason: "Timeout" },
  ])("network error $code → $reason", ({ code, reason }) => {
    const err = translateError(Object.assign(new Error(`connect ${code}`), { code }));
    expect(err.reason).toBe(reason);
    expect(err.code).toBe(0);
  });

  it("finds a network code in a cause chain (fetch failed → socket error)", () => {
    const err = translateError(new TypeError("fetch failed", { cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) }));
    expect(err.reason).toBe("Unreachable");
  });

  it("treats a TimeoutError (AbortSignal.timeout) as Timeout", () => {
    expect(translateError(new DOMException("timed out", "TimeoutError")).reason).toBe("Timeout");
  });

  it("survives hostile input (throwing getters)", () => {
    const hostile = new Proxy({}, { get: () => { throw new Error("boom"); }, has: () => { throw new Error("boom"); } });
    expect(translateError(hostile).reason).toBe("Unknown");
  });

  it("never throws and always gives a known reason, for arbitrary input", () => {
    const statusLike = fc.record({
      kind: fc.constantFrom("Status", "Other"),
      code: fc.oneof(fc.integer(), fc.anything()),
      reason: fc.oneof(fc.constantFrom(...KUBE_REASONS, "Expired", "InternalError"), fc.string()),
      message: fc.anything(),
      details: fc.anything(),
    }, { requiredKeys: [] });
    const errorLike = fc.record({ code: fc.anything(), status: fc.anything(), statusCode: fc.anything(), body: fc.anything(), headers: fc.anything(), cause: fc.anything() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), statusLike, errorLike), (input) => {
        const err = translateError(input);
        expect(err).toBeInstanceOf(KubeApiError);
        expect(KUBE_REASONS).toContain(err.reason);
        expect(Number.isInteger(err.code) && err.code >= 0).toBe(true);
        expect(Array.isArray(err.causes)).toBe(true);
        expect(typeof err.message).toBe("string");
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws from fromHttp for arbitrary bodies and headers", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.anything(), fc.anything(), (code, body, headers) => {
        const err = fromHttp({ status: code, body, headers: headers as Record<string, unknown> });
        expect(KUBE_REASONS).toContain(err.reason);
      }),
    );
  });
});
