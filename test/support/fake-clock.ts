import { Clock } from '../../src/infra/clock.js';

/** Real time plus an offset that a test moves forward. */
export class FakeClock extends Clock {
  private offset = 0;

  override now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }
}
