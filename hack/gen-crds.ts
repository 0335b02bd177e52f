// `npm run gen`: writes crds/<plural>.aegis.dev.yaml and src/api/generated/*.ts from src/api/schema.
import { writeAll } from "./gen/files.ts";
import { renderAll } from "./gen/render.ts";

export { renderAll };

const changed = writeAll(renderAll());
console.log(changed.length === 0 ? "gen: everything up to date" : `gen: wrote\n${changed.map((p) => `  ${p}`).join("\n")}`);
