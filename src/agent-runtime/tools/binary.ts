// Pure: is a file's content text the model can read? UTF-8 without NUL bytes.
const decoder = new TextDecoder("utf-8", { fatal: true });

export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
