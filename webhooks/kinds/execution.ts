/**
 * Execution: the controller's spec reading (controllers/execution/spec.ts). The CRD's CEL already
 * says agentRef xor workflowRef and keeps the refs immutable; the referenced Agent may be created
 * after the Execution (GitOps order is not guaranteed), so it is not looked up here.
 */
import { readExecutionSpec } from "../../controllers/execution/spec.ts";
import { readingViolation, specOf, type KindWebhook } from "./kind.ts";

export const executionWebhook: KindWebhook = {
  validate(object) {
    const reading = readExecutionSpec(specOf(object));
    return reading.ok ? [] : [readingViolation(reading.message)];
  },
  defaults: () => [],
};
