/** Ports on 127.0.0.1: a free one for each component, or a clear error when a chosen one is taken. */
import { createServer } from "node:net";
import { ControlPlaneError } from "./errors.ts";

export const LOOPBACK = "127.0.0.1";

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/** Throws a ControlPlaneError naming the component when `port` is already in use. */
export async function assertPortFree(port: number, component: string): Promise<void> {
  try {
    await listenOnce(port);
  } catch (cause) {
    throw new ControlPlaneError(`port ${port} on ${LOOPBACK}, wanted by ${component}, is already in use`, {
      cause,
      hint: `stop whatever listens there (ss -ltnp 'sport = :${port}' shows it) or choose another port`,
    });
  }
}

/** The port to use: `wanted` when given (and free), otherwise any free one. */
export async function pickPort(component: string, wanted?: number): Promise<number> {
  if (wanted === undefined) return freePort();
  await assertPortFree(wanted, component);
  return wanted;
}
