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

export type TextCheck = { ok: true } | { ok: false; reason: 'too-large' | 'binary'; bytes: number };

/**
 * The one size-and-binary rule for editor text (status bar, hovers, budgets, the Prompt Costs view): see
 * `oversizeBytes` and `looksBinary`.
 */
export function checkText(length: number, text: () => string, maxBytes: number): TextCheck {
  const bytes = oversizeBytes(length, text, maxBytes);
  if (bytes !== undefined) return { ok: false, reason: 'too-large', bytes };
  if (looksBinary(text())) return { ok: false, reason: 'binary', bytes: length };
  return { ok: true };
}

/**
 * The UTF-8 size when it is over `maxBytes`, else undefined. `length` is the UTF-16 length, which decides alone when
 * it can (UTF-8 takes 1–3 bytes per unit), so a huge document's text is not read to find out.
 */
export function oversizeBytes(length: number, text: () => string, maxBytes: number): number | undefined {
  if (length > maxBytes) return length;
  if (length * 3 <= maxBytes) return undefined;
  const bytes = utf8Length(text());
  return bytes > maxBytes ? bytes : undefined;
}

/** A NUL character means a binary file opened as text: its "tokens" would mean nothing. */
export function looksBinary(text: string): boolean {
  return text.includes('\u0000');
}

/** UTF-8 length without encoding (no Buffer: this runs in browsers too). Lone surrogates count 3, as U+FFFD. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // the pair is 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}
