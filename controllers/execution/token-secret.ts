/**
 * The per-execution token the iteration pods authenticate to the gateway with: a Secret
 * `<execution>-token` owned by the Execution (deleted with it), created once with a random
 * token. The controller hands the same value to the gateway's credential registry; a restarted
 * operator reads it back from the Secret (remembered per execution uid afterwards).
 */
import { randomBytes } from "node:crypto";
import { isAlreadyExists } from "../../src/kube/errors.ts";
import { controllerReference, isControlledBy, type Owner } from "../../src/kube/owners.ts";
import { SECRETS } from "../../src/kube/resources.ts";
import type { KubeClient } from "../../src/kube/types.ts";
import { TOKEN_KEY } from "./desired.ts";
import { bounded } from "./pod-name.ts";

export interface IssuedToken {
  /** The Secret's name (the pod's secretKeyRef). */
  readonly name: string;
  readonly token: string;
}

export interface TokenIssuer {
  /** Makes sure the execution's token Secret exists; returns its name and the token. */
  ensure(execution: Owner): Promise<IssuedToken>;
  /** The token issued to an execution by this process, if any (no API call). */
  peek(uid: string): IssuedToken | undefined;
  /** Forgets what it remembers of an execution (it is finished or gone). */
  forget(uid: string): void;
}

export const tokenSecretName = (execution: string): string => bounded(execution, 253, "-token");

/** The token in a Secret as the API server returns it (data is base64), or undefined. */
export function tokenOf(secret: unknown): string | undefined {
  const encoded = (secret as { data?: Record<string, unknown> } | undefined)?.data?.[TOKEN_KEY];
  if (typeof encoded !== "string") return undefined;
  const token = Buffer.from(encoded, "base64").toString("utf8");
  return token === "" ? undefined : token;
}

export function secretTokenIssuer(client: KubeClient): TokenIssuer {
  const known = new Map<string, IssuedToken>();
  return {
    async ensure(execution) {
      const uid = execution.metadata.uid ?? "";
      const remembered = known.get(uid);
      if (remembered !== undefined) return remembered;
      const name = tokenSecretName(execution.metadata.name ?? "");
      const namespace = execution.metadata.namespace ?? "";
      let token = randomBytes(32).toString("base64url");
      const secret = {
        apiVersion: "v1", kind: "Secret", type: "Opaque",
        metadata: { name, namespace, ownerReferences: [controllerReference(execution)], labels: { "aegis.dev/execution-token": "true" } },
        stringData: { [TOKEN_KEY]: token },
      };
      try {
        await client.create(SECRETS, secret);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        // Created before (by this controller before a restart): the token stays what it was.
        const found = await client.get(SECRETS, namespace, name);
        // A Secret left by a deleted Execution of the same name: the garbage collector removes it soon.
        if (!isControlledBy(found, execution)) throw new Error(`Secret ${namespace}/${name} belongs to another Execution; waiting for it to be garbage-collected`, { cause: err });
        const existing = tokenOf(found);
        if (existing === undefined) throw new Error(`Secret ${namespace}/${name} has no "${TOKEN_KEY}" key`, { cause: err });
        token = existing;
      }
      const issued = { name, token };
      if (uid !== "") known.set(uid, issued);
      return issued;
    },
    peek: (uid) => known.get(uid),
    forget(uid) {
      known.delete(uid);
    },
  };
}
