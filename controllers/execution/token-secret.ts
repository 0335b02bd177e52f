/**
 * The per-execution token the iteration pods authenticate to the gateway with: a Secret
 * `<execution>-token` owned by the Execution (deleted with it), created once with a random
 * token. The gateway maps the token to its execution; this is the seam it may replace.
 */
import { randomBytes } from "node:crypto";
import { isAlreadyExists } from "../../src/kube/errors.ts";
import { controllerReference, type Owner } from "../../src/kube/owners.ts";
import { SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import { TOKEN_KEY } from "./desired.ts";
import { bounded } from "./pod-name.ts";

export interface TokenIssuer {
  /** Makes sure the execution's token Secret exists; returns its name. */
  ensure(execution: Owner): Promise<string>;
}

export const tokenSecretName = (execution: string): string => bounded(execution, 253, "-token");

export function secretTokenIssuer(client: KubeClient): TokenIssuer {
  return {
    async ensure(execution) {
      const name = tokenSecretName(execution.metadata.name ?? "");
      const secret = {
        apiVersion: "v1", kind: "Secret", type: "Opaque",
        metadata: { name, namespace: execution.metadata.namespace, ownerReferences: [controllerReference(execution)], labels: { "aegis.dev/execution-token": "true" } },
        stringData: { [TOKEN_KEY]: randomBytes(32).toString("base64url") },
      };
      try {
        await client.create(SECRETS, secret);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err; // created before: the token stays what it was
      }
      return name;
    },
  };
}
