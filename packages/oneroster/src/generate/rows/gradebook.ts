/**
 * categories.csv, lineItems.csv and results.csv: district-wide categories; for one class in every twenty, three
 * line items in the class's first grading period, with a result for each student of the class.
 */
import type { CsvRow } from '../../csv/dataset.ts';
import { type ClassSlot, eachClass, studentId } from '../each.ts';
import type { DistrictPlan, SessionPlan } from '../plan.ts';

const categories = [
  ['category-1', 'Homework'],
  ['category-2', 'Quizzes'],
  ['category-3', 'Tests'],
  ['category-4', 'Projects'],
  ['category-5', 'Participation'],
] as const;

interface LineItemPlan {
  key: number;
  title: string;
  description: string;
  category: string;
  /** Days after the grading period starts. */
  assignDay: number;
  dueDay: number;
  max: number;
}

const lineItemPlans: readonly LineItemPlan[] = [
  {
    key: 1,
    title: 'Homework 1',
    description: 'Chapter 1 practice, odd problems',
    category: 'category-1',
    assignDay: 7,
    dueDay: 9,
    max: 10,
  },
  {
    key: 2,
    title: 'Quiz 1',
    description: 'Short quiz on "Chapter 1"',
    category: 'category-2',
    assignDay: 14,
    dueDay: 14,
    max: 20,
  },
  {
    key: 3,
    title: 'Unit 1 Test',
    description: '',
    category: 'category-3',
    assignDay: 28,
    dueDay: 28,
    max: 100,
  },
];

const comments = [
  'Great work!',
  'Late, but complete',
  'See me about corrections',
  'Excellent improvement',
] as const;

/** Classes with a gradebook: one in twenty, starting with the second (the first is often a homeroom). */
const hasGradebook = (slot: ClassSlot): boolean => slot.number % 20 === 2;

export function* categoryRows(): Generator<CsvRow> {
  for (const [sourcedId, title] of categories) yield { sourcedId, status: '', dateLastModified: '', title };
}

function gradingPeriodOf(plan: DistrictPlan, slot: ClassSlot): SessionPlan {
  const [first, , third] = plan.sessions.gradingPeriods;
  const gradingPeriod = slot.terms[0] === plan.sessions.semesters[0] ? first : third;
  if (gradingPeriod === undefined) throw new Error('the plan has four grading periods');
  return gradingPeriod;
}

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const lineItemId = (slot: ClassSlot, item: LineItemPlan) => `lineitem-${slot.number}-${item.key}`;

export function* lineItemRows(plan: DistrictPlan): Generator<CsvRow> {
  for (const slot of eachClass(plan)) {
    if (!hasGradebook(slot)) continue;
    const gradingPeriod = gradingPeriodOf(plan, slot);
    for (const item of lineItemPlans) {
      yield {
        sourcedId: lineItemId(slot, item),
        status: '',
        dateLastModified: '',
        title: item.title,
        description: item.description,
        assignDate: addDays(gradingPeriod.startDate, item.assignDay),
        dueDate: addDays(gradingPeriod.startDate, item.dueDay),
        classSourcedId: slot.sourcedId,
        categorySourcedId: item.category,
        gradingPeriodSourcedId: gradingPeriod.sourcedId,
        resultValueMin: '0',
        resultValueMax: String(item.max),
      };
    }
  }
}

export function* resultRows(plan: DistrictPlan): Generator<CsvRow> {
  let number = 1;
  for (const slot of eachClass(plan)) {
    if (!hasGradebook(slot)) continue;
    const gradingPeriod = gradingPeriodOf(plan, slot);
    for (const item of lineItemPlans) {
      const scoreDate = addDays(gradingPeriod.startDate, item.dueDay);
      for (let student = slot.firstStudent; student < slot.firstStudent + slot.studentCount; student++) {
        const random = plan.random.derive('result', slot.number, item.key, student);
        const scoreStatus = random.weighted([
          ['fully graded', 92],
          ['not submitted', 5],
          ['exempt', 3],
        ] as const);
        // Half points: 0.5 steps, written as the shortest decimal (`17`, `17.5`).
        const halfPoints = scoreStatus === 'fully graded' ? random.int(item.max, item.max * 2) : 0;
        yield {
          sourcedId: `result-${number++}`,
          status: '',
          dateLastModified: '',
          lineItemSourcedId: lineItemId(slot, item),
          studentSourcedId: studentId(student),
          scoreStatus,
          score: String(halfPoints / 2),
          scoreDate,
          comment: random.chance(0.1) ? random.pick(comments) : '',
        };
      }
    }
  }
}
