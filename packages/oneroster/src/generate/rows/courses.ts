/** courses.csv and classes.csv: courses per school and grade for the school year; a class per course and section. */
import type { CsvRow } from '../../csv/dataset.ts';
import { gradeLevel } from '../catalog.ts';
import { type ClassSlot, eachClass, eachCourse } from '../each.ts';
import type { DistrictPlan } from '../plan.ts';

export function* courseRows(plan: DistrictPlan): Generator<CsvRow> {
  for (const { school, grade, course } of eachCourse(plan)) {
    yield {
      sourcedId: course.sourcedId,
      status: '',
      dateLastModified: '',
      schoolYearSourcedId: plan.sessions.year.sourcedId,
      title: course.definition.title,
      courseCode: `${course.definition.code}-${grade.grade}`,
      grades: grade.grade,
      orgSourcedId: school.sourcedId,
      subjects: course.definition.subject,
      subjectCodes: '',
    };
  }
}

export function* classRows(plan: DistrictPlan): Generator<CsvRow> {
  for (const slot of eachClass(plan)) {
    const { course, grade } = slot;
    const section = String(slot.section + 1).padStart(2, '0');
    yield {
      sourcedId: slot.sourcedId,
      status: '',
      dateLastModified: '',
      title: `${course.definition.title} - Section ${slot.section + 1}`,
      grades: grade.grade,
      courseSourcedId: course.sourcedId,
      classCode: `${course.definition.code}-${grade.grade}-${section}`,
      classType: course.definition.classType,
      location: locationOf(slot),
      schoolSourcedId: slot.school.sourcedId,
      termSourcedIds: slot.terms.map((term) => term.sourcedId).join(','),
      subjects: course.definition.subject,
      subjectCodes: '',
      periods: course.period > 0 ? String(course.period) : '',
    };
  }
}

const elementaryRooms: Record<string, string> = { PE: 'Gymnasium', ART: 'Art Room', MUS: 'Music Room' };

/** Elementary sections keep one room per grade and section; secondary classes meet in their teacher's room. */
function locationOf(slot: ClassSlot): string {
  if (slot.school.band === 'elementary') {
    return (
      elementaryRooms[slot.course.definition.code] ??
      `Room ${(gradeLevel(slot.grade.grade) + 1) * 100 + slot.section + 1}`
    );
  }
  if (slot.localTeacher % 17 === 16) return `Portable ${Math.floor(slot.localTeacher / 17) + 1}, North Lot`;
  return `Room ${101 + slot.localTeacher}`;
}
