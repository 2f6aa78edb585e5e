/**
 * The one normalisation every name goes through before a look-up: full-width forms folded (NFKC),
 * case folded, and everything but letters and digits dropped, so "Xiaomi Corp.", "XIAOMI corp" and
 * "ｘｉａｏｍｉ ｃｏｒｐ" are one key.
 */
export function normalizeName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
