/** Bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder what follows. */
const BIDI = '\\u202A-\\u202E\\u2066-\\u2069';
/** Control characters (C0, DEL, C1), line and paragraph separators, bidi controls. */
const HIDDEN = new RegExp(`[\\p{Cc}\\u2028\\u2029${BIDI}]`, 'u');
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');

/**
 * Whether text holds a control character (C0, DEL, C1), a line or paragraph separator or a bidi
 * control: text with one can forge a log line or be shown other than it reads (a title that
 * shows `mp4.exe` while it holds `exe.mp4`). `allowLineBreaks` lets `\n`, `\r` and `\t` through
 * (a description's paragraphs).
 */
export function hasHiddenControls(value: string, { allowLineBreaks = false } = {}): boolean {
  return HIDDEN.test(allowLineBreaks ? value.replace(/[\t\n\r]/g, '') : value);
}

/** The text without them (for names we take rather than refuse, like an uploaded file's). */
export const stripHiddenControls = (value: string) => value.replace(HIDDEN_ALL, '');
