// Keyword (and other word-list) editing, one rule for the core and the UI: a word is the same
// word in any case ("Bus" is "bus"), the first spelling stays, and a removal matches any case.

/** The key two spellings of one word share. */
export function wordKey(word: string): string {
  return word.trim().toLowerCase();
}

/** Whether the list already holds this word, in any case. */
export function hasWord(list: readonly string[], word: string): boolean {
  const key = wordKey(word);
  return list.some((w) => wordKey(w) === key);
}

/**
 * The list after adding and removing words (adds first, then removals): trimmed, no empties, each
 * word once in its first spelling.
 */
export function editWords(
  list: readonly string[],
  add: readonly string[] = [],
  remove: readonly string[] = [],
): string[] {
  const drop = new Set(remove.map(wordKey));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const word of [...list, ...add]) {
    const w = word.trim();
    const key = wordKey(w);
    if (!w || seen.has(key) || drop.has(key)) continue;
    seen.add(key);
    out.push(w);
  }
  return out;
}
