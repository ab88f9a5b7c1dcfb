import type { Migration } from 'kysely/migration';
import * as foundation from './0001_foundation.ts';
import * as consoleTables from './0002_console.ts';
import * as demoLms from './0003_demo_lms.ts';
import * as gradeSync from './0004_grade_sync.ts';
import * as studentLaunch from './0005_student_launch.ts';
import * as rosterSources from './0006_roster_sources.ts';

/**
 * Every migration, in order. To add one: write `NNNN_<what>.ts` beside this file (exporting `up`, and `down` when
 * it can be undone), list it here, and update the `Database` interface in `../database.ts`. Never edit or rename a
 * migration that has been released: databases remember migrations by name.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_console': consoleTables,
  '0003_demo_lms': demoLms,
  '0004_grade_sync': gradeSync,
  '0005_student_launch': studentLaunch,
  '0006_roster_sources': rosterSources,
};
