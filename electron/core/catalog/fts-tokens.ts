/**
 * Splits text into the tokens FTS5's unicode61 tokenizer (remove_diacritics 2) produces: lower
 * case, without diacritics, runs of letters and digits.
 */
export function tokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}
