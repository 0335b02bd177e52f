// Pure: the small Handlebars subset prompt templates use (spec.task.promptTemplate, judges'
// inputTemplate): `{{path.to.value}}` and `{{#if path}}…{{else}}…{{/if}}` (nestable). Values are
// inserted as text (strings verbatim, other values as JSON); a missing path renders as nothing.
// Never throws: a stray {{else}} or {{/if}}, or an unclosed {{#if}}, is kept as literal text.

export type TemplateContext = Readonly<Record<string, unknown>>;

type Node =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "value"; readonly path: string }
  | { readonly kind: "if"; readonly path: string; readonly then: Node[]; readonly otherwise: Node[] };

const TAG = /\{\{\s*(?:#if\s+([\w.]+)|(else)|(\/if)|([\w.]+))\s*\}\}/g;

const asText = (value: unknown): string => {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
};

/** Handlebars truthiness: "", 0, false, null, undefined and [] are false. */
const truthy = (value: unknown): boolean => (Array.isArray(value) ? value.length > 0 : Boolean(value));

export function lookup(context: TemplateContext, path: string): unknown {
  let value: unknown = context;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Parses into nodes; open blocks are a stack, so unbalanced tags degrade to text. */
function parse(template: string): Node[] {
  interface Open { path: string; raw: string; then: Node[]; otherwise: Node[] | undefined }
  const root: Node[] = [];
  const stack: Open[] = [];
  const target = (): Node[] => {
    const top = stack.at(-1);
    return top === undefined ? root : (top.otherwise ?? top.then);
  };
  let cursor = 0;
  for (const m of template.matchAll(TAG)) {
    const [raw, ifPath, elseWord, endWord, valuePath] = m;
    if (m.index > cursor) target().push({ kind: "text", text: template.slice(cursor, m.index) });
    cursor = m.index + raw.length;
    const top = stack.at(-1);
    if (ifPath !== undefined) stack.push({ path: ifPath, raw, then: [], otherwise: undefined });
    else if (elseWord !== undefined && top !== undefined && top.otherwise === undefined) top.otherwise = [];
    else if (endWord !== undefined && top !== undefined) {
      stack.pop();
      target().push({ kind: "if", path: top.path, then: top.then, otherwise: top.otherwise ?? [] });
    } else if (valuePath !== undefined) target().push({ kind: "value", path: valuePath });
    else target().push({ kind: "text", text: raw });
  }
  if (cursor < template.length) target().push({ kind: "text", text: template.slice(cursor) });
  // Unclosed blocks: their tag and content become text in the enclosing list.
  while (stack.length > 0) {
    const open = stack.pop()!;
    const elseTag: Node[] = open.otherwise === undefined ? [] : [{ kind: "text", text: "{{else}}" }];
    target().push({ kind: "text", text: open.raw }, ...open.then, ...elseTag, ...(open.otherwise ?? []));
  }
  return root;
}

function render(nodes: readonly Node[], context: TemplateContext): string {
  return nodes.map((node) => {
    if (node.kind === "text") return node.text;
    if (node.kind === "value") return asText(lookup(context, node.path));
    return render(truthy(lookup(context, node.path)) ? node.then : node.otherwise, context);
  }).join("");
}

export const renderTemplate = (template: string, context: TemplateContext): string => render(parse(template), context);
