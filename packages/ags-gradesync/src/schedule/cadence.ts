import { GradeSyncError } from '../errors.ts';

/** How often a tenant's courses sync: daily (the default), every N minutes, or a cron expression. */
export type SyncCadence = 'daily' | { readonly everyMinutes: number } | { readonly cron: string };

/**
 * The recurrence pg-boss schedules for a cadence: daily at 02:00 UTC, an RFC 5545 rule for every N minutes (cron
 * cannot say "every 45 minutes"), or the cron expression as given.
 */
export function recurrenceOf(cadence: SyncCadence = 'daily'): string {
  if (cadence === 'daily') return '0 2 * * *';
  if ('cron' in cadence) return cadence.cron;
  const minutes = cadence.everyMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    throw new GradeSyncError(
      'GRADESYNC_OPTIONS_INVALID',
      `A sync cadence is a whole number of minutes from 1 to 1440, not ${minutes}.`,
    );
  return `FREQ=MINUTELY;INTERVAL=${minutes}`;
}

/** The period of a cadence in milliseconds, for the in-process scheduler (cron cadences are pg-boss only). */
export function periodOf(cadence: SyncCadence = 'daily'): number {
  if (cadence === 'daily') return 86_400_000;
  if ('cron' in cadence)
    throw new GradeSyncError('GRADESYNC_OPTIONS_INVALID', 'Cron cadences need the pg-boss scheduler.');
  recurrenceOf(cadence);
  return cadence.everyMinutes * 60_000;
}
