/**
 * Writes manifests/argocd/argocd-cm-patch.yaml from manifests/argocd/health/*.lua.
 * Usage: node hack/argocd/gen.ts (the unit tests fail while the file is out of date).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../src/local/paths.ts";
import { ARGOCD_CM_PATCH, renderArgocdCmPatch } from "./health.ts";

writeFileSync(join(repoRoot(), ARGOCD_CM_PATCH), renderArgocdCmPatch());
console.log(`wrote ${ARGOCD_CM_PATCH}`);
