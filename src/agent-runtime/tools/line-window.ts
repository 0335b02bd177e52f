// Pure: the window of lines fs.read returns, within a byte cap.
import { capHead } from "./truncate.ts";

export interface LineWindow {
  content: string;
  /** Lines returned (a line cut by the cap counts). */
  lines: number;
  totalLines: number;
  /** The byte cap cut the window short. */
  truncated: boolean;
  /** The next line to read, when lines remain after the window. */
  nextOffset?: number;
}

/** Lines `offset` (1-based) to `offset + limit - 1`, stopping before the cap is exceeded. */
export function selectLines(text: string, offset: number, limit: number | undefined, capBytes: number): LineWindow {
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  const totalLines = text === "" ? 0 : lines.length;
  const end = Math.min(totalLines, limit === undefined ? totalLines : offset - 1 + limit);
  let content = "";
  let bytes = 0;
  let index = offset - 1;
  let truncated = false;
  for (; index < end; index += 1) {
    const isLast = index === lines.length - 1 && !text.endsWith("\n");
    const piece = `${lines[index] ?? ""}${isLast ? "" : "\n"}`;
    const size = Buffer.byteLength(piece, "utf8");
    if (bytes + size > capBytes) {
      truncated = true;
      if (content === "") {
        // A single line larger than the cap: its head, and the next read starts after it.
        content = capHead(piece, capBytes).text;
        index += 1;
      }
      break;
    }
    content += piece;
    bytes += size;
  }
  const returned = Math.max(0, index - (offset - 1));
  const window: LineWindow = { content, lines: returned, totalLines, truncated };
  if (index < totalLines) window.nextOffset = index + 1;
  return window;
}
