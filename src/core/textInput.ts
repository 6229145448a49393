// Turns file bytes into the text a prompt would send, or says why it cannot.

export type DecodedText =
  | { ok: true; text: string; invalidUtf8: boolean }
  | { ok: false; reason: 'binary' | 'too-large'; message: string };

/** How far into a file to look for NUL bytes, the usual sign of a binary file (git and VS Code do the same). */
const BINARY_SNIFF_BYTES = 64 * 1024;

export function decodeText(bytes: Uint8Array, maxBytes = Infinity): DecodedText {
  if (bytes.length > maxBytes) {
    return { ok: false, reason: 'too-large', message: `${formatBytes(bytes.length)} is above the ${formatBytes(maxBytes)} limit` };
  }
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { ok: false, reason: 'binary', message: 'looks binary (contains NUL bytes); not counted' };
  let invalidUtf8 = false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    invalidUtf8 = true;
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
  }
  // The decoder drops a leading BOM: it marks the encoding, it is not prompt text (VS Code drops it too).
  return { ok: true, text, invalidUtf8 };
}

/** Unicode code points, not UTF-16 units: "𠀀" is one character. */
export function countCharacters(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
