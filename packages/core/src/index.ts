export { PassportError, type PassportErrorOptions } from './errors.ts';
export { type Clock, type GenerateId, randomId, systemClock } from './ports.ts';
export type { SqlClient } from './sql.ts';
