/** Time, injected so tests control expiry and replay. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Identifier generation, injected so tests get stable ids. */
export type GenerateId = () => string;

export const randomId: GenerateId = () => crypto.randomUUID();
