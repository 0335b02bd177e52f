// The resolver's sources in the operator: NodeConfigs from the informer cache, provider keys by
// a get of the referenced Secret (no Secret informer: the operator caches no Secret it does not use),
// kept for a TTL (secret-cache.ts) so a model turn does not wait on the API server.
import { isNotFound } from "../kube/errors.ts";
import { SECRETS } from "../kube/resources.ts";
import type { KubeClient, KubeObject } from "../kube/types.ts";
import type { Informer } from "../runtime/types.ts";
import type { NodeConfigLike, ResolverSources } from "./resolve.ts";
import { cachedSecretReader, type SecretCacheOptions } from "./secret-cache.ts";

/** `secretCache`: the provider key cache's TTL (30 s) and clock. */
export function kubeResolverSources(nodeConfigs: Informer<KubeObject>, client: KubeClient, secretCache: SecretCacheOptions = {}): ResolverSources {
  return {
    nodeConfigs: () => nodeConfigs.list() as unknown as NodeConfigLike[],
    readSecret: cachedSecretReader(async (ref) => {
      try {
        const secret = await client.get<KubeObject & { data?: Record<string, string> }>(SECRETS, ref.namespace, ref.name);
        const value = secret.data?.[ref.key];
        return value === undefined ? undefined : Buffer.from(value, "base64").toString("utf8");
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    }, secretCache),
  };
}
