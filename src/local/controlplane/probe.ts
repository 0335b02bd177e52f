/** Health probes for the control-plane components over HTTP(S) on loopback. */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface TlsClient {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Components with self-signed serving certificates (controller-manager, scheduler). */
  readonly insecure?: boolean;
}

/** GETs `url` and returns the status code and body; rejects on connection errors. */
export function get(url: string, tls: TlsClient = {}, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const isHttps = url.startsWith("https:");
    const options = isHttps
      ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure, timeout: timeoutMs }
      : { timeout: timeoutMs };
    const req = (isHttps ? httpsRequest : httpRequest)(url, { method: "GET", ...options }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** True when `url` answers 200; false on any error (the component is not up yet). */
export async function isHealthy(url: string, tls: TlsClient = {}): Promise<boolean> {
  try {
    return (await get(url, tls)).status === 200;
  } catch {
    return false;
  }
}
