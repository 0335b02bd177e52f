/**
 * A one-line progress display for long builds: redrawn in place on a terminal, a line every
 * 15 seconds otherwise (CI logs), so a multi-minute first build never looks hung.
 */
export interface Progress {
  update(done: number, total: number, detail?: string): void;
  finish(message: string): void;
}

export function formatProgress(label: string, done: number, total: number, elapsedMs: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const width = 24;
  const filled = Math.round(fraction * width);
  const bar = "#".repeat(filled) + "-".repeat(width - filled);
  const seconds = Math.round(elapsedMs / 1000);
  const clock = `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${label} [${bar}] ${done}/${total} packages ${clock}`;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const tty = stream.isTTY === true;
  let lastPrinted = 0;
  return {
    update(done, total) {
      const line = formatProgress(label, done, total, Date.now() - started);
      if (tty) {
        stream.write(`\r${line}\x1b[K`);
      } else if (Date.now() - lastPrinted >= 15_000) {
        lastPrinted = Date.now();
        stream.write(`${line}\n`);
      }
    },
    finish(message) {
      stream.write(`${tty ? "\r\x1b[K" : ""}${label} ${message}\n`);
    },
  };
}
