import type { Request, Response } from 'express';
import type { ErrnoEntry, Language } from '../errno.js';

export type Envelope = { errno: number; msg: string } & Record<string, unknown>;

/** Every answer of the API, success or refusal: `{errno, msg, ...data}`, msg in `language`. */
export function envelope(entry: ErrnoEntry, language: Language, data: object = {}): Envelope {
  return { errno: entry.errno, msg: entry[language], ...data };
}

/** Chinese unless the client prefers English (`Accept-Language: en`). */
export function languageOf(request: Pick<Request, 'acceptsLanguages' | 'headers'>): Language {
  // Without the header the negotiation (an object per call) would answer the first, zh.
  if (!request.headers['accept-language']) return 'zh';
  return request.acceptsLanguages('zh', 'en') === 'en' ? 'en' : 'zh';
}

const VARY = 'Accept-Encoding, Accept-Language';

/**
 * The language of `request`'s answer; caches learn that the answer depends on it, and on
 * Accept-Encoding (JSON is compressed when asked, and a request without the header skips the
 * compression middleware, which would say so).
 */
export function answerLanguage(request: Request, response: Response): Language {
  if (response.hasHeader('Vary')) response.vary(VARY);
  else response.setHeader('Vary', VARY);
  return languageOf(request);
}
