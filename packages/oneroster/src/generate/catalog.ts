/**
 * What students take, per school band and grade: a list of slots in priority order, each a full-year course or a
 * pair of semester courses. A grade's schedule is the first slots that add up to its number of classes (6–8).
 */
import type { ClassType, GradeCode } from '../model/vocabulary.ts';

export type Band = 'elementary' | 'middle' | 'high';

export interface CourseDefinition {
  /** Course code without the grade (`MATH`, `ALG1`). */
  code: string;
  title: string;
  /** The subject as `subjects` spells it; '' for none. */
  subject: string;
  classType: ClassType;
  /** `year`: both semesters; 1 or 2: that semester only. */
  term: 'year' | 1 | 2;
}

/** One or two courses (a semester pair) that fill the same period. */
export type Slot = readonly CourseDefinition[];

export const bandGrades: Readonly<Record<Band, readonly GradeCode[]>> = {
  elementary: ['KG', '01', '02', '03', '04', '05'],
  middle: ['06', '07', '08'],
  high: ['09', '10', '11', '12'],
};

export const gradeLevel = (grade: GradeCode): number => (grade === 'KG' ? 0 : Number(grade));

const year = (code: string, title: string, subject: string, classType: ClassType = 'scheduled'): Slot => [
  { code, title, subject, classType, term: 'year' },
];
const pair = (first: [string, string, string], second: [string, string, string]): Slot => [
  { code: first[0], title: first[1], subject: first[2], classType: 'scheduled', term: 1 },
  { code: second[0], title: second[1], subject: second[2], classType: 'scheduled', term: 2 },
];

const ela = 'English Language Arts';
const math = 'Mathematics';
const science = 'Science';
const social = 'Social Studies';
const pe = 'Physical Education';
const arts = 'Fine Arts';
const language = 'World Languages';
const computing = 'Computer Science';

function elementarySlots(grade: GradeCode): Slot[] {
  const label = grade === 'KG' ? 'Kindergarten' : `Grade ${gradeLevel(grade)}`;
  return [
    year('HR', `${label} Homeroom`, '', 'homeroom'),
    year('ELA', `${label} English Language Arts`, ela),
    year('MATH', `${label} Mathematics`, math),
    year('SCI', `${label} Science`, science),
    year('SS', `${label} Social Studies`, social),
    year('PE', `${label} Physical Education`, pe),
    year('ART', `${label} Art`, arts),
    year('MUS', `${label} Music`, arts),
  ];
}

function middleSlots(grade: GradeCode): Slot[] {
  const level = gradeLevel(grade);
  return [
    year('ADV', `Advisory ${level}`, '', 'homeroom'),
    year('ELA', `English Language Arts ${level}`, ela),
    year('MATH', level === 8 ? 'Pre-Algebra' : `Mathematics ${level}`, math),
    year('SCI', `Science ${level}`, science),
    year(
      'SS',
      level === 6 ? 'World Cultures' : level === 7 ? 'World Geography' : 'U.S. History, Early Years',
      social,
    ),
    year('PE', `Physical Education ${level}`, pe),
    level === 6 ? year('SPAN0', 'Exploring Languages', language) : year('SPAN1', 'Spanish I', language),
    pair(['ART', `Art ${level}`, arts], ['MUS', `General Music ${level}`, arts]),
    year('TECH', `Technology ${level}`, computing),
  ];
}

function highSlots(grade: GradeCode): Slot[] {
  switch (grade) {
    case '09':
      return [
        year('ENG', 'English 9', ela),
        year('ALG1', 'Algebra I', math),
        year('BIO', 'Biology', science),
        year('WHIST', 'World History', social),
        year('SPAN1', 'Spanish I', language),
        pair(['HLTH', 'Health', pe], ['PE', 'Physical Education', pe]),
        year('ART1', 'Art I', arts),
        year('CSP', 'Computer Science Principles', computing),
        year('ADV', 'Advisory 9', '', 'homeroom'),
      ];
    case '10':
      return [
        year('ENG', 'English 10', ela),
        year('GEOM', 'Geometry', math),
        year('CHEM', 'Chemistry', science),
        year('MHIST', 'Modern World History', social),
        year('SPAN2', 'Spanish II', language),
        year('PE', 'Physical Education', pe),
        year('CER', 'Ceramics', arts),
        year('CSA', 'Computer Science A', computing),
        year('ADV', 'Advisory 10', '', 'homeroom'),
      ];
    case '11':
      return [
        year('ENG', 'English 11, American Literature', ela),
        year('ALG2', 'Algebra II', math),
        year('PHYS', 'Physics', science),
        year('USHIST', 'U.S. History', social),
        year('SPAN3', 'Spanish III', language),
        pair(['PSY', 'Psychology', social], ['SOC', 'Sociology', social]),
        year('PHOTO', 'Photography', arts),
        year('STAT', 'Statistics', math),
        year('ADV', 'Advisory 11', '', 'homeroom'),
      ];
    default:
      return [
        year('ENG', 'English 12, British Literature', ela),
        year('PREC', 'Precalculus', math),
        year('ENVS', 'Environmental Science', science),
        pair(['GOV', 'Government', social], ['ECON', 'Economics', social]),
        year('SPAN4', 'Spanish IV', language),
        year('CW', 'Creative Writing', ela),
        year('PE', 'Physical Education', pe),
        year('ADV', 'Advisory 12', '', 'homeroom'),
      ];
  }
}

function slotsFor(band: Band, grade: GradeCode): Slot[] {
  if (band === 'elementary') return elementarySlots(grade);
  if (band === 'middle') return middleSlots(grade);
  return highSlots(grade);
}

/**
 * The slots a grade takes so that each student has exactly `classes` classes: walk the slots in order and keep
 * each one that still fits (a semester pair counts two).
 */
export function scheduleFor(band: Band, grade: GradeCode, classes: number): Slot[] {
  const chosen: Slot[] = [];
  let total = 0;
  for (const slot of slotsFor(band, grade)) {
    if (total + slot.length <= classes) {
      chosen.push(slot);
      total += slot.length;
    }
    if (total === classes) break;
  }
  return chosen;
}
