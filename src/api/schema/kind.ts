// What a kind file declares; crd.ts turns it into a CustomResourceDefinition.
import type { Schema } from "./builders.ts";

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description: string;
  /** 0 (default) shows in `kubectl get`; 1 only with `-o wide`. */
  priority?: number;
}

export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: "Namespaced" | "Cluster";
  /** Printed by `kubectl explain <kind>`: what the kind is and how it is used. */
  description: string;
  spec: Schema;
  status: Schema;
  printerColumns: PrinterColumn[];
}

/** The Age column every kind ends with. */
export const AGE_COLUMN: PrinterColumn = {
  name: "Age",
  type: "date",
  jsonPath: ".metadata.creationTimestamp",
  description: "Time since the object was created.",
};

/** The Ready column, read from the Ready condition. */
export const READY_COLUMN: PrinterColumn = {
  name: "Ready",
  type: "string",
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: "Status of the Ready condition: True, False or Unknown.",
};
