import type { SyncMode } from '../ports.ts';

/** The tags of line items the engine creates: listing by tag finds every one it created before. */
export const lineItemTags = {
  finalGrade: 'passport-final-grade',
  item: 'passport-item',
} as const;

/** The `resourceId` of a line item the engine creates: the key that keeps it from creating one twice. */
export const courseResourceId = (courseId: string): string => `passport:course:${courseId}`;
export const itemResourceId = (courseId: string, itemId: string): string =>
  `passport:item:${courseId}:${itemId}`;

/** A slot name: what a line item receives, per mode, so switching modes never reuses another mode's line item. */
export const courseSlot = (mode: SyncMode): string => `${mode}:course`;
export const itemSlot = (mode: SyncMode, itemId: string): string => `${mode}:item:${itemId}`;

/** The results a mode sends: course results (final grade) or item results. */
export const levelOf = (mode: SyncMode): 'course' | 'item' => (mode === 'final-grade' ? 'course' : 'item');
