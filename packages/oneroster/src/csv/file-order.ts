/**
 * The order files are read in, so that every reference points at a file already read: orgs before the courses and
 * users that name them, classes before enrollments, and so on. References within one file (an org's parent, a
 * session's parent, a user's agents) are checked after that file's own pass.
 */
import { type FileName, fileNames, fileSpecs } from '../model/files.ts';

/** The files each file references (other than itself). demographics rows are users' rows: their sourcedId is one. */
export function referencedFiles(file: FileName): FileName[] {
  const targets = new Set<FileName>();
  for (const column of fileSpecs[file]) {
    if (column.kind.type === 'ref' && column.kind.target !== file) targets.add(column.kind.target);
  }
  if (file === 'demographics') targets.add('users');
  return [...targets];
}

/** The 13 files, each after every file it references; ties keep the spec's order. */
export const readingOrder: readonly FileName[] = (() => {
  const order: FileName[] = [];
  const placed = new Set<FileName>();
  while (order.length < fileNames.length) {
    const next = fileNames.find(
      (file) => !placed.has(file) && referencedFiles(file).every((target) => placed.has(target)),
    );
    if (next === undefined) throw new Error('the files reference each other in a cycle');
    order.push(next);
    placed.add(next);
  }
  return order;
})();

/** Whether any file references `file` (so its ids must be kept after its own pass). */
export function isReferenced(file: FileName): boolean {
  return fileNames.some((other) => other !== file && referencedFiles(other).includes(file));
}

/** Whether rows of `file` reference other rows of the same file (an org's parent, a user's agents). */
export function hasSelfReference(file: FileName): boolean {
  return fileSpecs[file].some((column) => column.kind.type === 'ref' && column.kind.target === file);
}
