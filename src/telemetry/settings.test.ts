import { describe, expect, it } from "vitest";
import { childTracingEnv, tracingSettings } from "./settings.ts";

describe("tracingSettings", () => {
  it("is off without an OTLP endpoint, or with an empty one", () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_SERVICE_NAME: "x", OTEL_EXPORTER_OTLP_ENDPOINT: " " })).toBeUndefined();
  });

  it("sends to the endpoint's /v1/traces, or to the traces endpoint as given", () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toEqual({ url: "http://collector:4318/v1/traces", scheduleDelayMs: undefined });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:9999/custom" })?.url).toBe("http://b:9999/custom");
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:9999/custom" })?.url).toBe("http://b:9999/custom");
  });

  it("stays off when the SDK is disabled or the traces exporter is none", () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "TRUE" })).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" })).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "false" })).toBeDefined();
  });

  it("reads OTEL_BSP_SCHEDULE_DELAY when it is a whole number of milliseconds", () => {
    const withDelay = (value: string) => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_BSP_SCHEDULE_DELAY: value })?.scheduleDelayMs;
    expect(withDelay("200")).toBe(200);
    expect(withDelay("0")).toBe(0);
    expect(withDelay("soon")).toBeUndefined();
    expect(withDelay("-5")).toBeUndefined();
    expect(withDelay("")).toBeUndefined();
  });
});

describe("childTracingEnv", () => {
  it("passes the endpoints and the child's service name, never the exporter headers", () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: " http://collector:4318 ", OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer secret",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-key=secret", OTEL_SERVICE_NAME: "aegis-operator",
    };
    expect(childTracingEnv(env, "aegis-agent-runtime")).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SERVICE_NAME: "aegis-agent-runtime" });
  });
});
