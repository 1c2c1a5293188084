import { useEffect } from 'preact/hooks';
import { t } from './i18n.js';

/** The tab's title for the page shown: "<what> · 个人空间", or the brand alone while there is nothing to name. */
export function useTitle(what?: string): void {
  useEffect(() => {
    document.title = what ? `${what} · ${t.brand}` : t.brand;
  }, [what]);
}
