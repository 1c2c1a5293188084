import type { Clock } from './clock.js';
import type { KvStore } from './kv.store.js';

interface Window {
  count: number;
  startedAt: number;
}

/**
 * Counts events per key in a window that opens with the first one and lasts `windowMs`, kept in
 * the KvStore and judged by the Clock. Not atomic by itself: callers run it under Exclusive.
 */
export class WindowCounter {
  constructor(
    private readonly kv: KvStore,
    private readonly clock: Clock,
    private readonly windowMs: number,
  ) {}

  /** The count in the open window; 0 when none is open. */
  async count(key: string): Promise<number> {
    return (await this.open(key))?.count ?? 0;
  }

  /** Counts one more unless `limit` is reached; false when it is. */
  async take(key: string, limit: number): Promise<boolean> {
    const window = (await this.open(key)) ?? { count: 0, startedAt: this.clock.now() };
    if (window.count >= limit) return false;
    await this.save(key, { ...window, count: window.count + 1 });
    return true;
  }

  /** Counts one less, within the open window. */
  async giveBack(key: string): Promise<void> {
    const window = await this.open(key);
    if (window) await this.save(key, { ...window, count: Math.max(0, window.count - 1) });
  }

  private async open(key: string): Promise<Window | undefined> {
    const window = await this.kv.get<Window>(key);
    return window && this.clock.now() - window.startedAt < this.windowMs ? window : undefined;
  }

  private save(key: string, window: Window): Promise<void> {
    return this.kv.set(key, window, this.windowMs - (this.clock.now() - window.startedAt));
  }
}
