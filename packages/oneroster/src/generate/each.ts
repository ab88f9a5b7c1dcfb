/**
 * Walks a district plan in a fixed order, yielding one student or one class section at a time, so every file
 * that needs them (users, classes, enrollments, results, ...) sees the same numbering without storing it.
 */
import type { CoursePlan, DistrictPlan, GradePlan, SchoolPlan, SessionPlan } from './plan.ts';
import { distribute } from './plan.ts';

export interface StudentSlot {
  /** 1-based, district-wide. */
  number: number;
  sourcedId: string;
  school: SchoolPlan;
  grade: GradePlan;
}

export interface ClassSlot {
  /** 1-based, district-wide. */
  number: number;
  sourcedId: string;
  school: SchoolPlan;
  grade: GradePlan;
  course: CoursePlan;
  /** 0-based section of the grade; all its students take this class. */
  section: number;
  /** Number of the section's first student and how many there are. */
  firstStudent: number;
  studentCount: number;
  /** Global teacher numbers. */
  teacher: number;
  coTeacher: number | undefined;
  /** The teacher's position within the school (0-based), for rooms. */
  localTeacher: number;
  terms: SessionPlan[];
}

export const studentId = (number: number) => `student-${number}`;
export const teacherId = (number: number) => `teacher-${number}`;
export const guardianId = (student: number, index: number) => `guardian-${student}-${index}`;

/** Sizes and first student numbers of a grade's sections. */
function sectionsOf(grade: GradePlan): Array<{ first: number; count: number }> {
  let first = grade.studentOffset + 1;
  return distribute(grade.studentCount, grade.sectionCount).map((count) => {
    const section = { first, count };
    first += count;
    return section;
  });
}

export function* eachStudent(plan: DistrictPlan): Generator<StudentSlot> {
  for (const school of plan.schools) {
    for (const grade of school.grades) {
      for (let offset = 0; offset < grade.studentCount; offset++) {
        const number = grade.studentOffset + offset + 1;
        yield { number, sourcedId: studentId(number), school, grade };
      }
    }
  }
}

/** Probability that a class has a second, non-primary teacher. */
const coTeachingRate = 0.06;

/**
 * Every class section: elementary schools section by section (one teacher keeps a section for most subjects),
 * secondary schools course by course (one teacher teaches the same course to several sections). Teachers take
 * consecutive runs of the school's classes, so each has about the same load.
 */
export function* eachClass(plan: DistrictPlan): Generator<ClassSlot> {
  const [fall, spring] = plan.sessions.semesters;
  const termsOf = (course: CoursePlan): SessionPlan[] =>
    course.definition.term === 'year' ? [fall, spring] : course.definition.term === 1 ? [fall] : [spring];
  let number = 1;
  for (const school of plan.schools) {
    let position = 0;
    const make = (
      grade: GradePlan,
      course: CoursePlan,
      section: number,
      first: number,
      count: number,
    ): ClassSlot => {
      const localTeacher = Math.floor((position * school.teacherCount) / school.classCount);
      position++;
      const coTeaching =
        school.teacherCount > 1 && plan.random.derive('co-teacher', number).chance(coTeachingRate);
      const slot: ClassSlot = {
        number,
        sourcedId: `class-${number}`,
        school,
        grade,
        course,
        section,
        firstStudent: first,
        studentCount: count,
        teacher: school.teacherOffset + localTeacher,
        coTeacher: coTeaching ? school.teacherOffset + ((localTeacher + 1) % school.teacherCount) : undefined,
        localTeacher,
        terms: termsOf(course),
      };
      number++;
      return slot;
    };
    for (const grade of school.grades) {
      const sections = sectionsOf(grade);
      if (school.band === 'elementary') {
        for (const [section, { first, count }] of sections.entries()) {
          for (const course of grade.courses) yield make(grade, course, section, first, count);
        }
      } else {
        for (const course of grade.courses) {
          for (const [section, { first, count }] of sections.entries())
            yield make(grade, course, section, first, count);
        }
      }
    }
  }
}

export function* eachCourse(
  plan: DistrictPlan,
): Generator<{ school: SchoolPlan; grade: GradePlan; course: CoursePlan }> {
  for (const school of plan.schools) {
    for (const grade of school.grades) {
      for (const course of grade.courses) yield { school, grade, course };
    }
  }
}
