/**
 * The safety guard of a bulk import: a partial export (one school's file sent as the district's) would wipe a
 * district. An import that removes more than a share of the tenant's active users, classes or enrollments, or leaves
 * a class that had `minClassSize` students or more without any, is held for an admin's confirmation. Both store
 * adapters count; this file turns their numbers into findings so the wording is the same everywhere.
 */
import type { ImportGuardFinding } from './roster-store.ts';

export const guardedFiles = ['users', 'classes', 'enrollments'] as const;
export type GuardedFile = (typeof guardedFiles)[number];

/** At most this many emptied classes are listed; the message gives the total. */
export const maxListedClasses = 100;

export function removedShareFinding(
  file: GuardedFile,
  before: number,
  removed: number,
  maxShare: number,
): ImportGuardFinding | undefined {
  if (before === 0 || removed / before <= maxShare) return undefined;
  const share = removed / before;
  return {
    kind: 'removedShare',
    file,
    before,
    removed,
    share,
    maxShare,
    message:
      `This import would remove ${removed} of ${before} active ${file} (${(share * 100).toFixed(1)}%, more than ` +
      `${(maxShare * 100).toFixed(1)}%). Is the export partial? Confirm to apply it anyway.`,
  };
}

export function classEmptiedFinding(classSourcedId: string, studentsBefore: number): ImportGuardFinding {
  return {
    kind: 'classEmptied',
    classSourcedId,
    studentsBefore,
    message: `This import would leave class ${classSourcedId} with no students (it has ${studentsBefore}). Confirm to apply it anyway.`,
  };
}
