// Manifests write patterns in RE2 syntax (the API says so, Go tooling users expect it); this maps
// the RE2 constructs JavaScript spells differently. Anything JavaScript rejects is a compile error
// reported by the Regex validator, not a throw.

export type Compiled = { ok: true; regex: RegExp } | { ok: false; error: string };

const FLAG_GROUP = /^\(\?([a-zA-Z]+)\)/;

/** Compile an RE2 pattern: leading `(?ims)` → JS flags, `(?P<n>` → `(?<n>`, `\A`/`\z` → lookarounds. */
export function compileRe2(pattern: string): Compiled {
  let rest = pattern;
  const flags = new Set<string>();
  for (let m = FLAG_GROUP.exec(rest); m; m = FLAG_GROUP.exec(rest)) {
    for (const f of m[1] ?? "") {
      if (f !== "i" && f !== "m" && f !== "s") {
        return { ok: false, error: `flag "${f}" in (?${m[1]}) is not supported (only i, m and s)` };
      }
      flags.add(f);
    }
    rest = rest.slice(m[0].length);
  }
  const source = translate(rest);
  const base = [...flags].join("");
  // Unicode mode first (RE2 is Unicode-aware, \p{L} needs it); it rejects some identity escapes
  // such as `\-` outside a class that RE2 accepts, so fall back to the legacy mode.
  for (const f of [`${base}u`, base]) {
    try {
      return { ok: true, regex: new RegExp(source, f) };
    } catch (err) {
      if (f === base) return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
  return { ok: false, error: "unreachable" };
}

function translate(p: string): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === "\\" && i + 1 < p.length) {
      const next = p[i + 1];
      if (next === "A") out += "(?<![\\s\\S])";
      else if (next === "z") out += "(?![\\s\\S])";
      else out += ch + next;
      i++;
    } else if (ch === "(" && p.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
    } else {
      out += ch;
    }
  }
  return out;
}
