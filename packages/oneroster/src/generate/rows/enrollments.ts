/** enrollments.csv: per class, its primary teacher, sometimes a co-teacher, then every student of its section. */
import type { CsvRow } from '../../csv/dataset.ts';
import { eachClass, studentId, teacherId } from '../each.ts';
import type { DistrictPlan } from '../plan.ts';

export function* enrollmentRows(plan: DistrictPlan): Generator<CsvRow> {
  let number = 1;
  for (const slot of eachClass(plan)) {
    const beginDate = slot.terms[0]?.startDate ?? '';
    const endDate = slot.terms.at(-1)?.endDate ?? '';
    const enrollment = (userSourcedId: string, role: string, primary: string): CsvRow => ({
      sourcedId: `enrollment-${number++}`,
      status: '',
      dateLastModified: '',
      classSourcedId: slot.sourcedId,
      schoolSourcedId: slot.school.sourcedId,
      userSourcedId,
      role,
      primary,
      beginDate,
      endDate,
    });
    yield enrollment(teacherId(slot.teacher), 'teacher', 'true');
    if (slot.coTeacher !== undefined) yield enrollment(teacherId(slot.coTeacher), 'teacher', 'false');
    for (let student = slot.firstStudent; student < slot.firstStudent + slot.studentCount; student++) {
      yield enrollment(studentId(student), 'student', 'false');
    }
  }
}
