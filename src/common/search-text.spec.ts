import { gramsAreExact, SEARCH_KEY_GROWTH, searchKey, titleGrams, wordGrams } from './search-text.js';

describe('searchKey', () => {
  it('folds case, width, compatibility forms and Latin accents', () => {
    expect(searchKey('Ｔｒｉｐ TRIP')).toBe('trip trip');
    expect(searchKey('Café CAFÉ cafe\u0301')).toBe('cafe cafe cafe');
    expect(searchKey('㍻ 三十年')).toBe('平成 三十年');
    expect(searchKey('ＡＢＣ１２３')).toBe('abc123');
  });

  it('keeps the marks that make another word', () => {
    expect(searchKey('が')).not.toBe(searchKey('か'));
    expect(searchKey('パ')).toBe('パ');
    expect(searchKey('旅行')).toBe('旅行');
  });

  it('grows a text at most SEARCH_KEY_GROWTH times', () => {
    expect([...searchKey('\ufdfa')].length).toBe(SEARCH_KEY_GROWTH);
    let most = 0;
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      most = Math.max(most, [...searchKey(String.fromCodePoint(code))].length);
    }
    expect(most).toBe(SEARCH_KEY_GROWTH);
  });
});

describe('title grams', () => {
  it('has each character and each pair inside a word, once', () => {
    const grams = titleGrams('ab ab');
    expect(grams).toHaveLength(3);
    expect(grams).toEqual(expect.arrayContaining(wordGrams('a').concat(wordGrams('b'), wordGrams('ab'))));
    expect(grams).not.toEqual(expect.arrayContaining(wordGrams('ba')));
  });

  it('keeps characters and pairs apart', () => {
    const chars = titleGrams('\u{10ffff}');
    const pairs = titleGrams('\u0000\u0000').filter((gram) => gram > 0x10ffff);
    expect(chars).toEqual([0x10ffff]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toBeGreaterThan(chars[0]);
    expect(Number.isSafeInteger(wordGrams('\u{10ffff}\u{10ffff}')[0])).toBe(true);
  });

  it('asks a word for grams every title that holds it has', () => {
    const title = searchKey('海边 旅行 vlog 2026');
    for (const word of ['海', '海边', '旅行', 'vlo', 'vlog', '2026', '026']) {
      expect(titleGrams(title)).toEqual(expect.arrayContaining(wordGrams(word)));
    }
    // 'ab ba' has the pairs of 'aba' but not the word: a longer word is verified on the key.
    expect(titleGrams('ab ba')).toEqual(expect.arrayContaining(wordGrams('aba')));
    expect(gramsAreExact('ab')).toBe(true);
    expect(gramsAreExact('aba')).toBe(false);
    expect(gramsAreExact('𠀀𠀀')).toBe(true);
  });
});
