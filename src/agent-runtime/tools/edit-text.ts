// Pure: exact search and replace with an occurrence count check (fs.edit).
import { failure, type ToolFailure } from "./result.ts";

export interface EditRequest {
  oldText: string;
  newText: string;
  /** Replace every occurrence; otherwise exactly one must exist. */
  replaceAll: boolean;
}

export function countOccurrences(text: string, search: string): number {
  if (search.length === 0) return 0;
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) count += 1;
  return count;
}

export function applyEdit(text: string, edit: EditRequest): { ok: true; text: string; replacements: number } | ToolFailure {
  const count = countOccurrences(text, edit.oldText);
  if (count === 0) return failure("EditTextNotFound", "oldText was not found in the file (the match is exact, whitespace included)");
  if (count > 1 && !edit.replaceAll) {
    return failure("EditTextAmbiguous", `oldText occurs ${count} times; give more context to make it unique, or set replaceAll`, { occurrences: count });
  }
  // split/join: no `$` patterns, unlike String.replace.
  return { ok: true, text: text.split(edit.oldText).join(edit.newText), replacements: count };
}
