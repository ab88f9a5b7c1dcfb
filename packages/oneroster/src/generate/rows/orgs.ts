/** orgs.csv and academicSessions.csv: the district, its schools, one school year with semesters and quarters. */
import type { CsvRow } from '../../csv/dataset.ts';
import type { DistrictPlan, SessionPlan } from '../plan.ts';

export function* orgRows(plan: DistrictPlan): Generator<CsvRow> {
  const { district } = plan;
  yield {
    sourcedId: district.sourcedId,
    status: '',
    dateLastModified: '',
    name: district.name,
    type: 'district',
    identifier: district.identifier,
    parentSourcedId: '',
  };
  for (const school of plan.schools) {
    yield {
      sourcedId: school.sourcedId,
      status: '',
      dateLastModified: '',
      name: school.name,
      type: 'school',
      identifier: school.identifier,
      parentSourcedId: district.sourcedId,
    };
  }
}

export function* academicSessionRows(plan: DistrictPlan): Generator<CsvRow> {
  const { year, semesters, gradingPeriods } = plan.sessions;
  for (const session of [year, ...semesters, ...gradingPeriods]) yield sessionRow(plan, session);
}

function sessionRow(plan: DistrictPlan, session: SessionPlan): CsvRow {
  return {
    sourcedId: session.sourcedId,
    status: '',
    dateLastModified: '',
    title: session.title,
    type: session.type,
    startDate: session.startDate,
    endDate: session.endDate,
    parentSourcedId: session.parentSourcedId,
    schoolYear: String(plan.options.schoolYear),
  };
}
