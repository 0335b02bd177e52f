// Agent tool names (fs.write, mcp:github.get_file) ↔ names the providers accept
// (^[a-zA-Z0-9_-]{1,64}$). Pure. The code is prefix-free, hence injective and reversible:
// letters, digits and "_" stay (most names stay readable), "." → "--", "-" → "-_", any other
// UTF-16 unit → "-<lowercase hex>_". A name whose code is empty or over 64 characters is shortened
// to a readable head + "-h" + 16 hex of its sha256: "-h" never occurs in a code, so a shortened
// name never equals an encoded one; only a per-request table (tool-name-table.ts) maps it back.
import { createHash } from "node:crypto";
import { isProviderToolName } from "../model-server/tool-name.ts";

export { isProviderToolName, TOOL_NAME_PATTERN } from "../model-server/tool-name.ts";

export const MAX_PROVIDER_TOOL_NAME = 64;
const HASH_HEX = 16;
const KEPT = /[a-zA-Z0-9_]/;

/** The reversible code of a name (any length; may exceed 64 characters). */
export function encodeToolName(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const ch = name.charAt(i);
    if (KEPT.test(ch)) out += ch;
    else if (ch === ".") out += "--";
    else if (ch === "-") out += "-_";
    else out += `-${name.charCodeAt(i).toString(16)}_`;
  }
  return out;
}

/** The name a code stands for; undefined when `wire` is no code (a shortened name, a model's invention). */
export function decodeToolName(wire: string): string | undefined {
  let out = "";
  for (let i = 0; i < wire.length; i++) {
    const ch = wire.charAt(i);
    if (KEPT.test(ch)) { out += ch; continue; }
    if (ch !== "-") return undefined;
    const next = wire.charAt(i + 1);
    if (next === "-") { out += "."; i += 1; continue; }
    if (next === "_") { out += "-"; i += 1; continue; }
    // Only the code's own form: 1-4 lowercase hex digits of a unit the two rules above do not cover.
    const hex = /^[0-9a-f]{1,4}_/.exec(wire.slice(i + 1, i + 7))?.[0].slice(0, -1);
    if (hex === undefined || (hex.length > 1 && hex.startsWith("0"))) return undefined;
    const unit = String.fromCharCode(parseInt(hex, 16));
    if (KEPT.test(unit) || unit === "." || unit === "-") return undefined;
    out += unit;
    i += hex.length + 1;
  }
  return out;
}

/** Deterministic ≤ 64-character stand-in for a name whose code does not fit. */
export function shortenedToolName(name: string): string {
  const hash = createHash("sha256").update(name, "utf8").digest("hex").slice(0, HASH_HEX);
  // Cut the head at a code boundary, so it never ends inside an escape.
  let head = "";
  for (let i = 0; i < name.length; i++) {
    const piece = encodeToolName(name.charAt(i));
    if (head.length + piece.length > MAX_PROVIDER_TOOL_NAME - HASH_HEX - 2) break;
    head += piece;
  }
  return `${head}-h${hash}`;
}

/** The name sent to a provider: the code when it fits the pattern, else the shortened name. */
export function providerToolName(name: string): string {
  const code = encodeToolName(name);
  return isProviderToolName(code) ? code : shortenedToolName(name);
}
