import { useLayoutEffect } from 'preact/hooks';
import { t } from './i18n.js';

/**
 * The tab's title for the page shown: "<what> · 个人空间", or the brand alone while there is nothing to name.
 * A layout effect, so the title changes in the same commit as the page it names, not a frame later.
 */
export function useTitle(what?: string): void {
  useLayoutEffect(() => {
    document.title = what ? `${what} · ${t.brand}` : t.brand;
  }, [what]);
}
