// Assembles apiextensions.k8s.io/v1 CustomResourceDefinitions from the kind definitions.
import { object, string, type Schema } from "./builders.ts";
import type { KindDefinition } from "./kind.ts";

export const GROUP = "aegis.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
export const CATEGORY = "aegis";

/** The openAPIV3Schema of a kind: apiVersion, kind, metadata, spec, status. */
export function rootSchema(def: KindDefinition): Schema {
  const root = object(def.description, {
    apiVersion: string(
      "Versioned schema of this representation: aegis.dev/v1alpha1. See https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
    ),
    kind: string(`The REST resource this object represents: ${def.kind}.`),
    metadata: { type: "object", description: "Replaced below." },
    spec: def.spec,
    status: def.status,
  }, { required: ["spec"] });
  // The API server owns metadata's schema and rejects anything here beyond the type.
  root.properties!.metadata = { type: "object" };
  return root;
}

export interface CustomResourceDefinition {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames: string[]; categories: string[] };
    scope: "Namespaced" | "Cluster";
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: Schema };
      subresources: { status: Record<string, never> };
      additionalPrinterColumns: KindDefinition["printerColumns"];
    }[];
  };
}

export function crdFor(def: KindDefinition): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${def.plural}.${GROUP}`, labels: { "app.kubernetes.io/part-of": "aegis-operator" } },
    spec: {
      group: GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: [CATEGORY],
      },
      scope: def.scope,
      versions: [{
        name: VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: rootSchema(def) },
        subresources: { status: {} },
        additionalPrinterColumns: def.printerColumns,
      }],
    },
  };
}
