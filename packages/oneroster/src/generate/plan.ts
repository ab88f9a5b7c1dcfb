/**
 * The shape of a synthetic district, computed up front in memory proportional to the number of schools and
 * courses (never to students or enrollments): schools by band, students per grade, class sections (cohorts),
 * courses, teachers. Rows are produced from it lazily (`each-*.ts`, `rows/*.ts`).
 */
import type { GradeCode } from '../model/vocabulary.ts';
import { type Band, bandGrades, type CourseDefinition, scheduleFor } from './catalog.ts';
import { asciiSlug, districtPlaces, schoolNamesakes } from './names.ts';
import { Random } from './random.ts';

export interface DistrictOptions {
  /** How many students the district has. */
  students: number;
  /** Same seed, same district, byte for byte. Default `1`. */
  seed?: string | number;
  /** The school year as OneRoster's `schoolYear` spells it: the year it ends in. Default 2026 (2025–2026). */
  schoolYear?: number;
  /** Target number of students per school. Default 450. */
  schoolSize?: number;
  /** Target number of students per class section. Default 25. */
  classSize?: number;
  /** Students per teacher. Default 15. */
  studentsPerTeacher?: number;
  districtName?: string;
  /** Staff email domain; students get `students.<domain>`. Default from the district's name, under example.org. */
  emailDomain?: string;
}

export type ResolvedDistrictOptions = Required<DistrictOptions>;

export interface CoursePlan {
  number: number;
  sourcedId: string;
  definition: CourseDefinition;
  grade: GradeCode;
  /** The period its classes meet in (secondary schools); 0 for none. */
  period: number;
}

export interface GradePlan {
  grade: GradeCode;
  /** Global index of this grade's first student (0-based). */
  studentOffset: number;
  studentCount: number;
  /** Class sections: every student of a section takes the same classes. */
  sectionCount: number;
  courses: CoursePlan[];
}

export interface SchoolPlan {
  number: number;
  sourcedId: string;
  name: string;
  band: Band;
  identifier: string;
  grades: GradePlan[];
  studentOffset: number;
  studentCount: number;
  /** Global number of this school's first teacher (1-based). */
  teacherOffset: number;
  teacherCount: number;
  classCount: number;
}

export interface SessionPlan {
  sourcedId: string;
  title: string;
  type: 'schoolYear' | 'semester' | 'gradingPeriod';
  startDate: string;
  endDate: string;
  parentSourcedId: string;
}

export interface DistrictPlan {
  options: ResolvedDistrictOptions;
  random: Random;
  district: {
    sourcedId: string;
    name: string;
    identifier: string;
    place: string;
    state: string;
    slug: string;
  };
  studentDomain: string;
  staffDomain: string;
  schools: SchoolPlan[];
  /** The school year, its two semesters and four grading periods (two per semester). */
  sessions: { year: SessionPlan; semesters: [SessionPlan, SessionPlan]; gradingPeriods: SessionPlan[] };
  totals: { students: number; teachers: number; classes: number; courses: number };
}

export function planDistrict(options: ResolvedDistrictOptions): DistrictPlan {
  const random = Random.fromSeed(options.seed);
  const setup = random.derive('district');
  const [place, state] = setup.pick(districtPlaces);
  const name = options.districtName || `${place} Unified School District`;
  const slug = asciiSlug(options.districtName || place);
  const staffDomain = options.emailDomain || `${slug}.example.org`;
  const districtIdentifier = String(setup.int(1_000_000, 9_999_999));

  const perGrade = distribute(options.students, 13);
  const allGrades = [...bandGrades.elementary, ...bandGrades.middle, ...bandGrades.high];
  const namesakes = setup.shuffle(schoolNamesakes);
  const schools: SchoolPlan[] = [];
  let studentOffset = 0;
  let teacherOffset = 1;
  let courseNumber = 1;
  let classes = 0;
  for (const band of ['elementary', 'middle', 'high'] as const) {
    const grades = bandGrades[band];
    const counts = grades.map((grade) => perGrade[allGrades.indexOf(grade)] ?? 0);
    const bandStudents = counts.reduce((sum, count) => sum + count, 0);
    if (bandStudents === 0) continue;
    const schoolCount = Math.max(1, Math.round(bandStudents / options.schoolSize));
    const perSchool = counts.map((count) => distribute(count, schoolCount));
    for (let index = 0; index < schoolCount; index++) {
      const number = schools.length + 1;
      const namesake = namesakes[(number - 1) % namesakes.length] ?? 'Central';
      const round = Math.floor((number - 1) / namesakes.length);
      const school: SchoolPlan = {
        number,
        sourcedId: `school-${number}`,
        name: `${namesake} ${bandTitle[band]}${round > 0 ? ` No. ${round + 1}` : ''}`,
        band,
        identifier: `${districtIdentifier}${String(number).padStart(5, '0')}`,
        grades: [],
        studentOffset,
        studentCount: 0,
        teacherOffset,
        teacherCount: 0,
        classCount: 0,
      };
      grades.forEach((grade, gradeIndex) => {
        const studentCount = perSchool[gradeIndex]?.[index] ?? 0;
        if (studentCount === 0) return;
        const classesPerStudent = random.derive('schedule', number, grade).int(6, 8);
        const courses: CoursePlan[] = [];
        scheduleFor(band, grade, classesPerStudent).forEach((slot, slotIndex) => {
          for (const definition of slot) {
            courses.push({
              number: courseNumber,
              sourcedId: `course-${courseNumber}`,
              definition,
              grade,
              period: band === 'elementary' ? 0 : slotIndex + 1,
            });
            courseNumber++;
          }
        });
        const sectionCount = Math.ceil(studentCount / options.classSize);
        school.grades.push({ grade, studentOffset, studentCount, sectionCount, courses });
        school.studentCount += studentCount;
        school.classCount += sectionCount * courses.length;
        studentOffset += studentCount;
      });
      school.teacherCount = Math.max(1, Math.round(school.studentCount / options.studentsPerTeacher));
      teacherOffset += school.teacherCount;
      classes += school.classCount;
      schools.push(school);
    }
  }

  const startYear = options.schoolYear - 1;
  const endYear = options.schoolYear;
  const yearId = `sy-${endYear}`;
  const session = (
    sourcedId: string,
    title: string,
    type: SessionPlan['type'],
    startDate: string,
    endDate: string,
    parentSourcedId: string,
  ): SessionPlan => ({ sourcedId, title, type, startDate, endDate, parentSourcedId });
  const semesters: [SessionPlan, SessionPlan] = [
    session(
      `sem-${endYear}-1`,
      `Fall ${startYear}`,
      'semester',
      `${startYear}-08-18`,
      `${startYear}-12-19`,
      yearId,
    ),
    session(
      `sem-${endYear}-2`,
      `Spring ${endYear}`,
      'semester',
      `${endYear}-01-05`,
      `${endYear}-06-12`,
      yearId,
    ),
  ];
  const [fall, spring] = semesters;
  return {
    options,
    random,
    district: { sourcedId: 'district-1', name, identifier: districtIdentifier, place, state, slug },
    studentDomain: `students.${staffDomain}`,
    staffDomain,
    schools,
    sessions: {
      year: session(
        yearId,
        `${startYear}-${endYear}`,
        'schoolYear',
        `${startYear}-08-18`,
        `${endYear}-06-12`,
        '',
      ),
      semesters,
      gradingPeriods: [
        session(
          `gp-${endYear}-1`,
          'Quarter 1',
          'gradingPeriod',
          `${startYear}-08-18`,
          `${startYear}-10-17`,
          fall.sourcedId,
        ),
        session(
          `gp-${endYear}-2`,
          'Quarter 2',
          'gradingPeriod',
          `${startYear}-10-20`,
          `${startYear}-12-19`,
          fall.sourcedId,
        ),
        session(
          `gp-${endYear}-3`,
          'Quarter 3',
          'gradingPeriod',
          `${endYear}-01-05`,
          `${endYear}-03-13`,
          spring.sourcedId,
        ),
        session(
          `gp-${endYear}-4`,
          'Quarter 4',
          'gradingPeriod',
          `${endYear}-03-16`,
          `${endYear}-06-12`,
          spring.sourcedId,
        ),
      ],
    },
    totals: { students: studentOffset, teachers: teacherOffset - 1, classes, courses: courseNumber - 1 },
  };
}

const bandTitle: Record<Band, string> = {
  elementary: 'Elementary School',
  middle: 'Middle School',
  high: 'High School',
};

/** Splits `total` into `parts` near-equal whole numbers, the larger ones first. */
export function distribute(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total % parts;
  return Array.from({ length: parts }, (_, index) => base + (index < remainder ? 1 : 0));
}
