// Time as a dependency: services ask a Clock, tests inject a fixed or manual one.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand; it never advances on its own. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  set(at: Date | number): void {
    this.current = typeof at === "number" ? at : at.getTime();
  }
}
