// Maps a Node fs error to the error the model sees.
import { failure, type ToolFailure } from "./result.ts";

export function ioFailure(error: unknown, relative: string): ToolFailure {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = JSON.stringify(relative === "" ? "." : relative);
  switch (code) {
    case "ENOENT": return failure("NotFound", `${where} does not exist`);
    case "EEXIST": return failure("AlreadyExists", `${where} already exists`);
    case "ENOTDIR": return failure("NotADirectory", `a component of ${where} is not a directory`);
    case "EISDIR": return failure("NotAFile", `${where} is a directory`);
    case "ENOTEMPTY": return failure("DirectoryNotEmpty", `${where} is not empty`);
    default: return failure("IoError", `${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
