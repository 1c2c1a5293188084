import { hasHiddenControls, stripHiddenControls } from '../common/text.js';

/** The rules a video's fields follow, in one place (like account.rules.ts). */

/** In code points, after trimming. The column holds 80 characters. */
export const TITLE_MAX = 80;
export const DESCRIPTION_MAX = 2000;

/**
 * A title, trimmed, within TITLE_MAX and without control characters or bidi controls (9000
 * otherwise); a description the same, except that it may hold line breaks and tabs.
 */
export function isValidVideoText(field: 'title' | 'description', value: string): boolean {
  const text = value.trim();
  const max = field === 'title' ? TITLE_MAX : DESCRIPTION_MAX;
  return [...text].length <= max && !hasHiddenControls(text, { allowLineBreaks: field === 'description' });
}

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

/** 20 random lower-case hex digits: case-insensitive collations cannot confuse two. */
const VIDEO_ID = /^[0-9a-f]{20}$/;

export function isVideoId(id: unknown): id is string {
  return typeof id === 'string' && VIDEO_ID.test(id);
}

/** The file's name without its extension and hidden controls (see hasHiddenControls), cut to the title limit. */
export function defaultTitle(filename: string): string {
  const base = stripHiddenControls(filename)
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .trim();
  return [...(base || 'video')].slice(0, TITLE_MAX).join('');
}
