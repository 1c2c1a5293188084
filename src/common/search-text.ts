/**
 * How a title search compares text, the same on every database: a word matches where its key is
 * part of the title's key. The key folds case, width and compatibility forms (NFKD: `Ｔｒｉｐ` and
 * `㍻` read as `trip` and `平成`) and Latin accents (`café` as `cafe`), and keeps every other mark
 * (Japanese `が` stays apart from `か`).
 */
export function searchKey(text: string): string {
  return text.normalize('NFKD').toLowerCase().normalize('NFKD').replace(LATIN_ACCENTS, '').normalize('NFC');
}

const LATIN_ACCENTS = /[\u0300-\u036f]/g;
const SPACE = /\s/u;

/** The most characters one character's key has (U+FDFA's 18): a key is at most this many times its text. */
export const SEARCH_KEY_GROWTH = 18;

/**
 * A key's characters and pairs of neighbouring characters (spaces left out: a word has none), as
 * numbers, each once: a character is its code point, a pair `(first + 1) × 0x110000 + second`, so
 * the two never meet and compare exactly on every database and collation.
 */
export function titleGrams(key: string): number[] {
  const chars = [...key];
  const grams = new Set<number>();
  chars.forEach((char, i) => {
    if (SPACE.test(char)) return;
    grams.add(codeOf(char));
    const next = chars[i + 1];
    if (next !== undefined && !SPACE.test(next)) grams.add(pairOf(char, next));
  });
  return [...grams];
}

/**
 * The grams a title must have to hold `word` (a key without spaces): its character, or its pairs.
 * For a word of one or two characters they are exact (the title holds the word exactly when it has
 * the gram); a longer word is in every title that holds it, and needs checking in the others.
 */
export function wordGrams(word: string): number[] {
  const chars = [...word];
  if (chars.length === 1) return [codeOf(chars[0])];
  return [...new Set(chars.slice(1).map((char, i) => pairOf(chars[i], char)))];
}

/** Whether wordGrams(word) alone tells which titles hold it. */
export const gramsAreExact = (word: string) => [...word].length <= 2;

const codeOf = (char: string) => char.codePointAt(0) ?? 0;
const pairOf = (first: string, second: string) => (codeOf(first) + 1) * 0x110000 + codeOf(second);
