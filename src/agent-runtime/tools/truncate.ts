// Pure output capping. Commands keep the tail of their output (errors come last); file reads keep
// the head. UTF-8 sequences cut by the cap are dropped, never half-decoded.

export interface CappedText {
  text: string;
  truncated: boolean;
  /** Bytes seen in all, kept or not. */
  totalBytes: number;
}

/** Collects a stream's chunks, keeping at most `capBytes` bytes: the last ones. */
export class TailCapture {
  readonly #cap: number;
  #chunks: Buffer[] = [];
  #kept = 0;
  #total = 0;

  constructor(capBytes: number) {
    this.#cap = Math.max(0, capBytes);
  }

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    this.#chunks.push(chunk);
    this.#kept += chunk.length;
    while (this.#kept > this.#cap) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      const excess = this.#kept - this.#cap;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#kept -= first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#kept -= excess;
      }
    }
  }

  result(): CappedText {
    const truncated = this.#total > this.#kept;
    let buffer = Buffer.concat(this.#chunks);
    if (truncated) buffer = buffer.subarray(leadingContinuationBytes(buffer));
    return { text: buffer.toString("utf8"), truncated, totalBytes: this.#total };
  }
}

/** The first `capBytes` bytes of `text`, cut on a character boundary. */
export function capHead(text: string, capBytes: number): CappedText {
  const buffer = Buffer.from(text, "utf8");
  if (buffer.length <= capBytes) return { text, truncated: false, totalBytes: buffer.length };
  let end = Math.max(0, capBytes);
  while (end > 0 && isContinuation(buffer[end])) end -= 1;
  return { text: buffer.subarray(0, end).toString("utf8"), truncated: true, totalBytes: buffer.length };
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

function leadingContinuationBytes(buffer: Buffer): number {
  let i = 0;
  while (i < buffer.length && i < 4 && isContinuation(buffer[i])) i += 1;
  return i;
}
