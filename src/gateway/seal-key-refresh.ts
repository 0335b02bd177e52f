// The gateway's SEAL signing key while the operator runs (docs/seal.md §8): the Secret is read
// again every interval (default 60 s) with loadSigningKey, which rotates it when due, so a key
// rotated by another replica or by hand, or one that came of age, is used without a restart.
// A failed read keeps the key in use (logged).
import type { Logger } from "pino";
import type { KubeClient } from "../kube/types.ts";
import { loadSigningKey, type SigningKeyOptions } from "./seal-kube.ts";
import type { SealSigningKey } from "./seal.ts";

export interface SigningKeyRefresh {
  /** The key in force (the same object until the Secret's keys change). */
  current(): SealSigningKey;
  /** Reads the Secret now (the timer calls it); resolves when done. */
  refresh(): Promise<void>;
  stop(): void;
}

export interface RefreshOptions extends SigningKeyOptions {
  readonly intervalMs?: number;
  readonly log?: Pick<Logger, "warn" | "info">;
}

const spki = (key: SealSigningKey["publicKey"]) => key.export({ format: "der", type: "spki" }).toString("base64");

/** Pure: whether two loads hold the same keys (kid, public key, retired kids and times). */
export function sameKeys(a: SealSigningKey, b: SealSigningKey): boolean {
  const retired = (k: SealSigningKey) => JSON.stringify((k.previous ?? []).map((r) => [r.kid, r.retiredAt, spki(r.publicKey)]));
  return a.kid === b.kid && spki(a.publicKey) === spki(b.publicKey) && retired(a) === retired(b);
}

export function startSigningKeyRefresh(client: KubeClient, namespace: string, initial: SealSigningKey, options: RefreshOptions = {}): SigningKeyRefresh {
  let key = initial;
  let running: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    running ??= loadSigningKey(client, namespace, options)
      .then((loaded) => {
        if (sameKeys(loaded, key)) return;
        options.log?.info({ namespace, kid: loaded.kid, previous: (loaded.previous ?? []).map((k) => k.kid) }, "SEAL signing key changed");
        key = loaded;
      })
      .catch((error: unknown) => options.log?.warn({ err: error, namespace, kid: key.kid }, "SEAL signing key not re-read; the current one stays in use"))
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = setInterval(() => void refresh(), options.intervalMs ?? 60_000);
  timer.unref();
  return { current: () => key, refresh, stop: () => clearInterval(timer) };
}
