import type { Request } from 'express';
import type { Language } from '../errno.js';

/** Chinese unless the client prefers English (`Accept-Language: en`). */
export function languageOf(request: Request): Language {
  return request.acceptsLanguages('zh', 'en') === 'en' ? 'en' : 'zh';
}
