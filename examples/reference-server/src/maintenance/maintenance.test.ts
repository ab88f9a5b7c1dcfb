import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createMaintenance, maintenanceQueue } from './maintenance.ts';

describe('maintenance', () => {
  it('runs every task, reports what each removed, and keeps going past a failing one', async () => {
    const ran: string[] = [];
    const lines: string[] = [];
    const maintenance = createMaintenance({
      logger: createLogger({ level: 'info', write: (line) => lines.push(line) }),
      tasks: [
        {
          name: 'sessions',
          run: async () => {
            ran.push('sessions');
            return 3;
          },
        },
        {
          name: 'broken',
          run: async () => {
            ran.push('broken');
            throw new Error('table is gone');
          },
        },
        {
          name: 'tickets',
          run: async () => {
            ran.push('tickets');
            return 0;
          },
        },
      ],
    });
    const report = await maintenance.runOnce();
    expect(ran).toEqual(['sessions', 'broken', 'tickets']);
    expect(report).toEqual({ sessions: 3, broken: { error: 'table is gone' }, tickets: 0 });
    expect(lines.some((line) => line.includes('maintenance task failed') && line.includes('broken'))).toBe(
      true,
    );
  });
});

describe('maintenance on pg-boss', () => {
  it('schedules itself in the database and runs when its job comes', { timeout: 60_000 }, async () => {
    const { PgBoss } = await import('pg-boss');
    const { openDatabase } = await import('../db/open-database.ts');
    const { createBossDatabase } = await import('../gradesync/boss-database.ts');
    const { makeTempDir } = await import('../../test/support/temp-dir.ts');
    const folder = await makeTempDir('passport-maintenance-');
    const database = await openDatabase({ kind: 'pglite', dataDir: folder.path });
    const boss = new PgBoss({
      db: createBossDatabase(database.db as never),
      backend: 'pglite',
      schema: 'pgboss_maintenance_test',
    } as never);
    try {
      await boss.start();
      let runs = 0;
      const done = new Promise<void>((resolve) => {
        const maintenance = createMaintenance({
          logger: createLogger({ level: 'silent' }),
          tasks: [
            {
              name: 'count',
              run: async () => {
                runs += 1;
                resolve();
                return 1;
              },
            },
          ],
        });
        void maintenance.schedule(boss, '*/5 * * * *').then(() => boss.send(maintenanceQueue, {}));
      });
      await done;
      expect(runs).toBe(1);
      const schedules = await boss.getSchedules();
      expect(schedules.map((schedule) => [schedule.name, schedule.cron])).toContainEqual([
        maintenanceQueue,
        '*/5 * * * *',
      ]);
    } finally {
      await boss.stop({ graceful: false }).catch(() => {});
      await database.close();
      await folder.remove();
    }
  });
});
