import { chromium, type Browser } from 'playwright-core';

/** The system's Chromium (CHROMIUM_PATH, else Debian's), headless, without its background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * For Playwright's API requests (`context.request`): retried once on ECONNRESET. Its HTTP agent
 * keeps idle connections with no timeout of its own, so a request may leave on one just as the
 * server's keep-alive (5 s) closes it; such a request never reached the app, so sending it again
 * is safe.
 */
export const RETRY_RESET = { maxRetries: 1 } as const;

/** A form body for Playwright's API requests, with RETRY_RESET. */
export const form = (data: Record<string, string>) => ({ form: data, ...RETRY_RESET });
