// The resolver's sources in the operator: NodeConfigs from the informer cache, provider keys by
// a get of the referenced Secret (no Secret informer: the operator caches no Secret it does not use).
import { isNotFound } from "../kube/errors.ts";
import { SECRETS } from "../kube/resources.ts";
import type { KubeClient, KubeObject } from "../kube/types.ts";
import type { Informer } from "../runtime/types.ts";
import type { NodeConfigLike, ResolverSources } from "./resolve.ts";

export function kubeResolverSources(nodeConfigs: Informer<KubeObject>, client: KubeClient): ResolverSources {
  return {
    nodeConfigs: () => nodeConfigs.list() as unknown as NodeConfigLike[],
    async readSecret(ref) {
      try {
        const secret = await client.get<KubeObject & { data?: Record<string, string> }>(SECRETS, ref.namespace, ref.name);
        const value = secret.data?.[ref.key];
        return value === undefined ? undefined : Buffer.from(value, "base64").toString("utf8");
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}
