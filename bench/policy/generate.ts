// Generated policy sets for the authorization benchmark: tenants (namespaces) of ten policies
// each, spread over the actions, plus the cluster-wide rules every request meets.
import { ACTIONS } from "../../src/policy/schema.ts";

const CLUSTER = [
  `@id("fs-in-workspace") permit (principal, action == Action::"tool:invoke", resource in Tool::"fs.*")
   when { context has path && context.path like "/workspace/*" };`,
  `@id("no-delete") forbid (principal, action == Action::"tool:invoke", resource == Tool::"fs.delete");`,
];

function tenantPolicy(i: number, ns: string): string {
  const action = ACTIONS[i % ACTIONS.length]!;
  const scope = `principal in Namespace::"${ns}", action == Action::"${action}"`;
  switch (action) {
    case "tool:invoke":
      return `permit (${scope}, resource == Tool::"cmd.run") when { context has command && context.command in [Command::"python", Command::"tool-${i}"] && context has path && context.path like "/workspace/p${i}/*" };`;
    case "agent:egress":
      return `permit (${scope}, resource) when { context.mode == "Deny" && resource.name like "*.team${i}.example.com" };`;
    case "agent:budget":
      return `permit (${scope}, resource) when { context.maxIterations <= ${(i % 20) + 1} };`;
    case "agent:spawn":
      return `permit (${scope}, resource) when { context.depth <= ${i % 4} };`;
    default:
      return `permit (${scope}, resource);`;
  }
}

/**
 * `count` policies: when `sliced`, tenant policies scoped to count/10 namespaces (what a cluster
 * looks like: a request meets its own namespace's); otherwise all unscoped (every policy applies
 * to every request, the worst case).
 */
export function generatePolicies(count: number, sliced: boolean): string {
  const tenants = Math.max(1, Math.floor(count / 10));
  const out = [...CLUSTER];
  for (let i = out.length; i < count; i += 1) {
    const policy = tenantPolicy(i, `ns-${i % tenants}`);
    out.push(sliced ? policy : policy.replace(/principal in Namespace::"[^"]+"/, "principal"));
  }
  return out.join("\n");
}
