// `npm run verify` (first step of `npm test`): fails when generated files differ from what
// src/api/schema produces, listing them and saying how to fix it.
import { describeDrift, findDrift, isClean } from "./gen/drift.ts";
import { generatedOnDisk, readRepoFile } from "./gen/files.ts";
import { renderAll } from "./gen/render.ts";

const drift = findDrift(renderAll(), (p) => readRepoFile(p), generatedOnDisk());
if (isClean(drift)) {
  console.log(`verify: ${describeDrift(drift)}`);
} else {
  console.error(`verify: ${describeDrift(drift)}`);
  process.exitCode = 1;
}
