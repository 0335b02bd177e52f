import { describe, expect, it } from "vitest";
import { parseCli } from "./options.ts";

describe("parseCli", () => {
  it("reads the flags the harness passes", () => {
    const r = parseCli(
      ["--kubeconfig=/k", "--home=/h", "--tls-cert=/c", "--tls-key", "/k.key", "--client-ca=/ca", "--port=0", "--images", "/m.yaml", "--name", "edge-1"],
      {},
    );
    expect(r).toEqual({
      ok: true,
      options: { kubeconfig: "/k", home: "/h", tlsCert: "/c", tlsKey: "/k.key", clientCa: "/ca", port: 0, images: "/m.yaml", name: "edge-1", logLevel: "info" },
    });
  });

  it("falls back to KUBECONFIG, AEGIS_HOME and LOG_LEVEL", () => {
    const r = parseCli([], { KUBECONFIG: "/env/k", AEGIS_HOME: "/env/home", LOG_LEVEL: "debug" });
    expect(r).toMatchObject({ ok: true, options: { kubeconfig: "/env/k", home: "/env/home", name: "aegis-local", port: 0, logLevel: "debug" } });
  });

  it("defaults the kubeconfig to the home's", () => {
    expect(parseCli(["--home=/h"], {})).toMatchObject({ ok: true, options: { kubeconfig: "/h/kubeconfig" } });
  });

  it.each([
    [["--port=70000"], "--port"],
    [["--port=abc"], "--port"],
    [["--name=Bad_Name"], "--name"],
    [["--tls-cert=/c"], "--tls-key go together"],
    [["--log-level=loud"], "--log-level"],
    [["--unknown"], "Unknown option"],
  ])("rejects %j, naming %j", (argv, fragment) => {
    const r = parseCli(argv, { AEGIS_HOME: "/h" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join("\n")).toContain(fragment);
  });
});
