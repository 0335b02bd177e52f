import { describe, expect, it } from "vitest";
import { ConfigError } from "../runtime/errors.ts";
import { loadConfig, parseFlags } from "./load.ts";

const load = (argv: string[], env: Record<string, string | undefined> = {}) => loadConfig({ argv, env, defaultIdentity: "host_1" });

function problems(argv: string[], env: Record<string, string | undefined> = {}): readonly string[] {
  try {
    load(argv, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("has the documented defaults and is frozen", () => {
    const config = load([]);
    expect(config).toEqual({
      namespace: "aegis-system", leaderElect: true, leaseName: "aegis-operator-leader",
      leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000,
      metricsAddr: { host: "", port: 8080 }, healthAddr: { host: "", port: 8081 }, gatewayAddr: { host: "", port: 8082 },
      workers: 2, logLevel: "info", identity: "host_1",
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.metricsAddr)).toBe(true);
    expect(Object.isFrozen(load(["--webhook-addr=:9443"]).webhookAddr)).toBe(true);
  });

  it.each([
    { reason: "flags in both forms", argv: ["--namespace", "ops", "--workers=8"], env: {}, want: { namespace: "ops", workers: 8 } },
    { reason: "environment", argv: [], env: { AEGIS_NAMESPACE: "ops", AEGIS_LOG_LEVEL: "debug", KUBECONFIG: "/k" }, want: { namespace: "ops", logLevel: "debug", kubeconfig: "/k" } },
    { reason: "flags win over environment", argv: ["--namespace=flag"], env: { AEGIS_NAMESPACE: "env" }, want: { namespace: "flag" } },
    { reason: "a bare boolean flag is true", argv: ["--leader-elect", "--workers", "3"], env: { AEGIS_LEADER_ELECT: "false" }, want: { leaderElect: true, workers: 3 } },
    { reason: "a boolean flag takes =false", argv: ["--leader-elect=false"], env: {}, want: { leaderElect: false } },
    { reason: "durations in Go style", argv: ["--lease-duration=4s", "--renew-deadline=3s", "--retry-period=500ms"], env: {}, want: { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 } },
    { reason: "a bare number is seconds", argv: [], env: { AEGIS_LEASE_DURATION: "20" }, want: { leaseDurationMs: 20_000 } },
    { reason: "port 0 and IPv6 hosts", argv: ["--metrics-addr=127.0.0.1:0", "--health-addr=[::1]:9000"], env: {}, want: { metricsAddr: { host: "127.0.0.1", port: 0 }, healthAddr: { host: "::1", port: 9000 } } },
    { reason: "the pod name is the identity in a cluster", argv: [], env: { POD_NAME: "aegis-7f9" }, want: { identity: "aegis-7f9" } },
    { reason: "--identity wins over the pod name", argv: ["--identity", "me"], env: { POD_NAME: "aegis-7f9" }, want: { identity: "me" } },
    {
      reason: "the own Pod from the downward API (the gateway label's target), whatever the identity",
      argv: ["--identity", "me"],
      env: { POD_NAME: "aegis-7f9", POD_NAMESPACE: "aegis-system" },
      want: { identity: "me", podName: "aegis-7f9", podNamespace: "aegis-system" },
    },
    { reason: "a list of controllers", argv: ["--controllers", "agent, nodeconfig"], env: {}, want: { controllers: ["agent", "nodeconfig"] } },
    { reason: "the test-only reconcile log", argv: ["--reconcile-log-dir", "/tmp/x"], env: {}, want: { reconcileLogDir: "/tmp/x" } },
    { reason: "the webhook server's address", argv: ["--webhook-addr=:9443"], env: {}, want: { webhookAddr: { host: "", port: 9443 } } },
    {
      reason: "the local webhook URL",
      argv: ["--webhook-addr=127.0.0.1:40000"],
      env: { AEGIS_WEBHOOK_URL: "https://127.0.0.1:40000" },
      want: { webhookAddr: { host: "127.0.0.1", port: 40000 }, webhookUrl: "https://127.0.0.1:40000" },
    },
    { reason: "the runtime registry as namespace/name", argv: [], env: { AEGIS_RUNTIME_REGISTRY: "platform/runtimes" }, want: { runtimeRegistry: { namespace: "platform", name: "runtimes" } } },
  ])("reads $reason", ({ argv, env, want }) => {
    expect(load(argv, env)).toMatchObject(want);
  });

  it.each([
    { reason: "an unknown flag", argv: ["--nope"], env: {}, want: /--nope: unknown flag/ },
    { reason: "a flag without value", argv: ["--namespace"], env: {}, want: /--namespace: needs a value/ },
    { reason: "a bad duration", argv: ["--lease-duration=soon"], env: {}, want: /--lease-duration \/ AEGIS_LEASE_DURATION: "soon" is not a duration/ },
    { reason: "a zero duration", argv: ["--retry-period=0s"], env: {}, want: /--retry-period.*longer than zero/ },
    { reason: "a bad address", argv: ["--health-addr=localhost"], env: {}, want: /--health-addr.*not host:port/ },
    { reason: "a port out of range", argv: ["--metrics-addr=:70000"], env: {}, want: /--metrics-addr.*not host:port/ },
    { reason: "workers below one", argv: ["--workers=0"], env: {}, want: /--workers/ },
    { reason: "fractional workers", argv: ["--workers=1.5"], env: {}, want: /--workers.*whole number/ },
    { reason: "an unknown log level", argv: [], env: { AEGIS_LOG_LEVEL: "loud" }, want: /--log-level \/ AEGIS_LOG_LEVEL/ },
    { reason: "a namespace that is no DNS name", argv: ["--namespace=Ops_1"], env: {}, want: /--namespace.*DNS-1123/ },
    { reason: "a renew deadline not shorter than the lease", argv: ["--lease-duration=10s", "--renew-deadline=10s"], env: {}, want: /--renew-deadline.*shorter than the lease duration/ },
    { reason: "a retry period too close to the renew deadline", argv: ["--renew-deadline=2s", "--retry-period=2s"], env: {}, want: /--retry-period.*renew deadline/ },
    { reason: "an empty controller list", argv: ["--controllers=,"], env: {}, want: /--controllers.*at least one/ },
    { reason: "a registry without a namespace", argv: ["--runtime-registry=runtimes"], env: {}, want: /--runtime-registry.*namespace\/name/ },
    { reason: "a bad webhook address", argv: ["--webhook-addr=9443"], env: {}, want: /--webhook-addr \/ AEGIS_WEBHOOK_ADDR.*not host:port/ },
    { reason: "a webhook URL that is not https", argv: ["--webhook-addr=:9443", "--webhook-url=http://127.0.0.1:9443"], env: {}, want: /--webhook-url.*https URL/ },
    { reason: "a webhook URL without a webhook server", argv: ["--webhook-url=https://127.0.0.1:9443"], env: {}, want: /--webhook-url.*needs --webhook-addr/ },
    { reason: "a Pod name that is no DNS name", argv: ["--pod-name=Aegis_1"], env: {}, want: /--pod-name \/ POD_NAME.*DNS-1123/ },
    { reason: "a non-boolean", argv: [], env: { AEGIS_LEADER_ELECT: "maybe" }, want: /--leader-elect.*not true or false/ },
  ])("rejects $reason", ({ argv, env, want }) => {
    expect(problems(argv, env).join("\n")).toMatch(want);
  });

  it("reports every problem at once, in one error", () => {
    const found = problems(["--bogus", "--workers=0", "--lease-duration=1s", "--metrics-addr=x"], { AEGIS_LOG_LEVEL: "loud" });
    expect(found).toHaveLength(5);
    expect(found.join("\n")).toMatch(/--bogus[\s\S]*--metrics-addr[\s\S]*--workers[\s\S]*--log-level[\s\S]*--renew-deadline/);
  });
});

describe("parseFlags", () => {
  it("keeps values that start with a dash when given with =", () => {
    expect(parseFlags(["--identity=-x"]).values).toEqual({ identity: "-x" });
  });
});
