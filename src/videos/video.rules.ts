import { hasHiddenControls, stripHiddenControls } from '../common/text.js';
import type { SessionUser } from '../session/session-user.js';
import type { Video } from './video.entity.js';

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

/** Who may see a video: anyone (and listed), anyone with its id (listed only to its owner), its owner (and admins). */
export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const isVisibility = (value: string): value is Visibility => (VISIBILITIES as readonly string[]).includes(value);

/** Who is looking: a logged-in account, or nobody (a visitor). */
export type Viewer = Pick<SessionUser, 'id' | 'uid' | 'role'> | undefined;

/** Whether `viewer` owns the video or may act for its owner (an admin). */
export const actsForOwner = (video: Pick<Video, 'uid'>, viewer: Viewer) =>
  !!viewer && (viewer.uid === video.uid || viewer.role === 'admin');

/**
 * The visibility rule, the only place it is written: a private video exists for its owner and
 * admins only; public and unlisted ones for anyone who has the id. Every read path (detail, bytes,
 * renditions, lists) asks VideosService, which asks this.
 */
export function mayView(video: Pick<Video, 'uid' | 'visibility'>, viewer: Viewer): boolean {
  return video.visibility !== 'private' || actsForOwner(video, viewer);
}

/** What a space's list shows `viewer`: everything to its owner and admins, public videos to anyone else. */
export function listedFor(uid: number, viewer: Viewer): Visibility[] {
  return actsForOwner({ uid }, viewer) ? [...VISIBILITIES] : ['public'];
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
