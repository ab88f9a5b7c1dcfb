import type { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';

/** One clean-up: removes what has expired and resolves how many rows it removed. */
export interface MaintenanceTask {
  readonly name: string;
  run(): Promise<number>;
}

export interface Maintenance {
  /** Runs every task once; a failing task is logged and reported, the others still run. */
  runOnce(): Promise<Record<string, number | { error: string }>>;
  /**
   * Schedules `runOnce` as a pg-boss job every `cron` (default every ten minutes): the schedule lives in the database,
   * so with several server processes it runs once per tick, in whichever process takes the job.
   */
  schedule(boss: PgBoss, cron?: string): Promise<void>;
}

export const maintenanceQueue = 'passport-maintenance';

/**
 * Expired state never piles up: Passport sessions, LTI login states, content picker sessions, demo LMS sessions,
 * launch tickets. Each owner knows how to remove its own; this runs them together.
 */
export function createMaintenance(options: {
  tasks: readonly MaintenanceTask[];
  logger: Logger;
}): Maintenance {
  const { tasks, logger } = options;
  const maintenance: Maintenance = {
    async runOnce() {
      const report: Record<string, number | { error: string }> = {};
      for (const task of tasks) {
        try {
          report[task.name] = await task.run();
        } catch (error) {
          logger.error('maintenance task failed', { task: task.name, error });
          report[task.name] = { error: error instanceof Error ? error.message : String(error) };
        }
      }
      logger.info('maintenance done', { removed: report });
      return report;
    },
    async schedule(boss, cron = '*/10 * * * *') {
      await boss.createQueue(maintenanceQueue);
      await boss.schedule(maintenanceQueue, cron);
      await boss.work(maintenanceQueue, async () => {
        await maintenance.runOnce();
      });
    },
  };
  return maintenance;
}
