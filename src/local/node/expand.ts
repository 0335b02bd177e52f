/**
 * Kubernetes `$(VAR)` expansion, as the kubelet applies it to `command`, `args` and env values
 * (k8s.io/kubernetes third_party/forked/golang/expansion):
 * - `$(NAME)` becomes the value of NAME when `lookup` knows it, and stays `$(NAME)` otherwise;
 * - `$$` becomes a literal `$` (so `$$(NAME)` yields `$(NAME)`);
 * - a `$` followed by anything else, an unterminated `$(`, or a trailing `$` stay as written.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== "$" || i + 1 >= input.length) {
      out += ch;
      i += 1;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close === -1) {
        out += "$(";
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value ?? `$(${name})`;
      i = close + 1;
      continue;
    }
    out += "$" + next;
    i += 2;
  }
  return out;
}

