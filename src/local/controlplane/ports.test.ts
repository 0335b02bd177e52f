import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { ControlPlaneError } from "./errors.ts";
import { LOOPBACK, assertPortFree, freePort, pickPort } from "./ports.ts";

describe("ports", () => {
  it("names the component and the port when a wanted port is taken", async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, LOOPBACK, () => resolve((server.address() as { port: number }).port)));
    try {
      const error = await assertPortFree(port, "kube-apiserver").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ControlPlaneError);
      expect((error as Error).message).toBe(`port ${port} on 127.0.0.1, wanted by kube-apiserver, is already in use`);
    } finally {
      server.close();
    }
  });

  it("picks a free port when none is wanted, and the wanted one when it is free", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await pickPort("x", port)).toBe(port);
  });
});
