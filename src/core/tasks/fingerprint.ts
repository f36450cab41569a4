/**
 * Review-loop fingerprinting: two change requests that say the same thing (ignoring order, case,
 * punctuation and whitespace) get the same fingerprint, so "the same request twice" is detected even
 * when the reviewer reorders or reformats it.
 */
export function normalizeChanges(changes: readonly string[]): string {
  return changes
    .map((c) => c.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim())
    .filter((c) => c !== '')
    .sort()
    .join('\n');
}

/** FNV-1a, 64 bits (as two 32-bit halves), hex. Pure and deterministic across platforms. */
export function fnv1a64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x01000193) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export function reviewFingerprint(changes: readonly string[]): string {
  return fnv1a64(normalizeChanges(changes));
}
