import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';
import { searchKey } from '../common/search-text.js';

/** How a space's list is ordered: `new` seq DESC, `old` seq ASC, `views` views DESC then seq DESC. */
export const SORTS = ['new', 'old', 'views'] as const;
export type Sort = (typeof SORTS)[number];

export const SEARCH_MAX_CHARS = 100;
export const SEARCH_MAX_WORDS = 10;

/** Where the previous page ended: the sort key of its last video (`views` only for sort=views) and its seq. */
export interface ListCursor {
  sort: Sort;
  seq: number;
  views?: number;
}

/** What a list asks for: `after` (keyset) wins over `page` (offset). */
export interface ListQuery {
  sort: Sort;
  words: string[];
  page: number;
  pageSize: number;
  after: ListCursor | null;
}

/**
 * `q` as the keys of its words (split on white space, each must be in the title, compared as
 * `searchKey` says); 9000 past 100 characters or 10 words.
 */
export function searchWords(q: string | undefined): string[] {
  if (q === undefined) return [];
  if ([...q].length > SEARCH_MAX_CHARS) throw new ErrnoError(Errno.BadRequest);
  const words = searchKey(q).split(/\s+/u).filter(Boolean);
  if (words.length > SEARCH_MAX_WORDS) throw new ErrnoError(Errno.BadRequest);
  return words;
}

const CURSOR_TEXT = { new: /^n\.(\d{1,15})$/, old: /^o\.(\d{1,15})$/, views: /^v\.(\d{1,15})\.(\d{1,15})$/ } as const;

/** Opaque to clients: base64url of `n.<seq>`, `o.<seq>` or `v.<views>.<seq>`. */
export function encodeCursor(cursor: ListCursor): string {
  const text = cursor.sort === 'views' ? `v.${cursor.views ?? 0}.${cursor.seq}` : `${cursor.sort[0]}.${cursor.seq}`;
  return Buffer.from(text).toString('base64url');
}

/** 9000 for anything that is not a cursor of this sort (one made for another sort would skip or repeat videos). */
export function decodeCursor(value: string, sort: Sort): ListCursor {
  const match = /^[A-Za-z0-9_-]{1,64}$/.test(value) ? CURSOR_TEXT[sort].exec(Buffer.from(value, 'base64url').toString()) : null;
  if (!match) throw new ErrnoError(Errno.BadRequest);
  return sort === 'views' ? { sort, views: Number(match[1]), seq: Number(match[2]) } : { sort, seq: Number(match[1]) };
}
