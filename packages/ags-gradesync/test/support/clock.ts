import type { Clock } from '@passport/core';

/** A clock the test moves. */
export class TestClock implements Clock {
  #now: number;
  constructor(start: Date | string = '2025-03-01T08:00:00.000Z') {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
