// The one place that touches @cedar-policy/cedar-wasm: its Node entry point (CommonJS, wasm loaded
// synchronously at import) and how Cedar's errors become one-line messages.
import type { DetailedError } from "@cedar-policy/cedar-wasm/nodejs";

export {
  policySetTextToParts, policyToJson, preparsePolicySet, preparseSchema, statefulIsAuthorized, validate,
} from "@cedar-policy/cedar-wasm/nodejs";
export type {
  AuthorizationAnswer, DetailedError, EntityJson, EntityUidJson, PolicyJson,
} from "@cedar-policy/cedar-wasm/nodejs";

/** Cedar's message, with its help when it has one ("did you mean `tool`?"). */
export function cedarMessage(error: DetailedError): string {
  return error.help ? `${error.message} (${error.help})` : error.message;
}

/** 1-based line and column of a character offset, so errors point into the source as written. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}
