// A 64-bit content key for "did this text change?" checks (the Prompt Costs view's per-file cache), in plain
// TypeScript so it runs where node:crypto does not (a browser). Not cryptographic: it is never persisted, shown or
// compared across runs; it only decides whether cached counts still belong to a file's text, so two independent
// 32-bit multiply-xor lanes over the UTF-16 code units plus the length are enough (a chance collision ≈ 2^-64).

/** Two 32-bit lanes, each mixed at the end by the other (so both depend on every unit), and the length. */
export function contentHash(text: string): string {
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x85ebca6b ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x9e3779b1);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  return `${text.length.toString(36)}:${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}
