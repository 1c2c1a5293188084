import { Injectable } from '@nestjs/common';

/** The time that rate limits and code lifetimes are judged by; tests replace it to move time on. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
