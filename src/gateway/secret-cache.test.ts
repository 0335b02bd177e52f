import { describe, expect, it } from "vitest";
import type { SecretRef } from "./resolve.ts";
import { cachedSecretReader } from "./secret-cache.ts";

const REF: SecretRef = { namespace: "aegis-system", name: "openai", key: "api-key" };

/** A fake Secret store with a counted read and a hand-moved clock. */
function setup(ttlMs = 30_000) {
  let clock = 0;
  const values = new Map<string, string>([["aegis-system/openai/api-key", "sk-one"]]);
  let failNext: Error | undefined;
  const reads: SecretRef[] = [];
  const read = async (ref: SecretRef): Promise<string | undefined> => {
    reads.push(ref);
    await Promise.resolve();
    if (failNext !== undefined) {
      const e = failNext;
      failNext = undefined;
      throw e;
    }
    return values.get(`${ref.namespace}/${ref.name}/${ref.key}`);
  };
  const cached = cachedSecretReader(read, { ttlMs, now: () => clock });
  return {
    cached, reads, values,
    advance: (ms: number) => { clock += ms; },
    failOnce: (e: Error) => { failNext = e; },
  };
}

describe("provider key cache", () => {
  it("reads once per TTL and picks up a rotated key after it", async () => {
    const s = setup();
    expect(await s.cached(REF)).toBe("sk-one");
    s.values.set("aegis-system/openai/api-key", "sk-two");
    s.advance(29_999);
    expect(await s.cached(REF)).toBe("sk-one");
    expect(s.reads).toHaveLength(1);
    s.advance(1);
    expect(await s.cached(REF)).toBe("sk-two");
    expect(s.reads).toHaveLength(2);
  });

  it("keys by namespace, name and key", async () => {
    const s = setup();
    s.values.set("aegis-system/openai/other", "sk-other");
    s.values.set("team/openai/api-key", "sk-team");
    expect(await s.cached(REF)).toBe("sk-one");
    expect(await s.cached({ ...REF, key: "other" })).toBe("sk-other");
    expect(await s.cached({ ...REF, namespace: "team" })).toBe("sk-team");
    expect(await s.cached({ ...REF, name: "missing" })).toBeUndefined();
    expect(s.reads).toHaveLength(4);
  });

  it("shares one read among concurrent misses", async () => {
    const s = setup();
    expect(await Promise.all([s.cached(REF), s.cached(REF), s.cached(REF)])).toEqual(["sk-one", "sk-one", "sk-one"]);
    expect(s.reads).toHaveLength(1);
  });

  it("keeps no failed read: the error is passed on, the next call reads again", async () => {
    const s = setup();
    s.failOnce(new Error("api server down"));
    await expect(s.cached(REF)).rejects.toThrow("api server down");
    expect(await s.cached(REF)).toBe("sk-one");
    expect(s.reads).toHaveLength(2);
    // A refresh that fails after expiry is not served stale either, and is retried at once.
    s.advance(30_000);
    s.failOnce(new Error("timeout"));
    await expect(s.cached(REF)).rejects.toThrow("timeout");
    expect(await s.cached(REF)).toBe("sk-one");
    expect(s.reads).toHaveLength(4);
  });

  it("keeps no missing key: a Secret created afterwards is seen on the next call", async () => {
    const s = setup();
    const ref = { ...REF, name: "later" };
    expect(await s.cached(ref)).toBeUndefined();
    s.values.set("aegis-system/later/api-key", "sk-later");
    expect(await s.cached(ref)).toBe("sk-later");
    expect(await s.cached(ref)).toBe("sk-later");
    expect(s.reads).toHaveLength(2);
  });

  it("bounds its entries, dropping the oldest", async () => {
    let reads = 0;
    const cached = cachedSecretReader(() => { reads++; return Promise.resolve("v"); }, { maxEntries: 2, now: () => 0 });
    for (const key of ["a", "b", "c"]) await cached({ ...REF, key });
    await cached({ ...REF, key: "c" });
    await cached({ ...REF, key: "b" });
    expect(reads).toBe(3);
    await cached({ ...REF, key: "a" });
    expect(reads).toBe(4);
  });
});
