// `npm run gen`: writes crds/<plural>.aegis.dev.yaml and src/api/generated/*.ts from src/api/schema.
// The rendering itself is the pure renderAll() (re-exported here); only running this file writes.
import { writeAll } from "./gen/files.ts";
import { renderAll } from "./gen/render.ts";

export { renderAll };

if (import.meta.main) {
  const changed = writeAll(renderAll());
  console.log(changed.length === 0 ? "gen: everything up to date" : `gen: wrote\n${changed.map((p) => `  ${p}`).join("\n")}`);
}
