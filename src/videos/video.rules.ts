/** The rules a video's fields follow, in one place (like account.rules.ts). */

/** In code points, after trimming. The column holds 80 characters. */
export const TITLE_MAX = 80;
export const DESCRIPTION_MAX = 2000;

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

/** 20 random lower-case hex digits: case-insensitive collations cannot confuse two. */
const VIDEO_ID = /^[0-9a-f]{20}$/;

export function isVideoId(id: unknown): id is string {
  return typeof id === 'string' && VIDEO_ID.test(id);
}

/** The file's name without its extension, cut to the title limit. */
export function defaultTitle(filename: string): string {
  const base = filename
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .trim();
  return [...(base || 'video')].slice(0, TITLE_MAX).join('');
}
