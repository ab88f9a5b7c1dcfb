/** demographics.csv: one row per student (its sourcedId is the student's), age consistent with the grade. */
import type { CsvRow } from '../../csv/dataset.ts';
import { gradeLevel } from '../catalog.ts';
import { eachStudent } from '../each.ts';
import { citiesOfBirth, foreignBirthplaces } from '../names.ts';
import { studentPerson } from '../people.ts';
import type { DistrictPlan } from '../plan.ts';
import type { Random } from '../random.ts';

const races = [
  'americanIndianOrAlaskaNative',
  'asian',
  'blackOrAfricanAmerican',
  'nativeHawaiianOrOtherPacificIslander',
  'white',
] as const;
type Race = (typeof races)[number];

const raceWeights: ReadonlyArray<readonly [Race | 'twoOrMore', number]> = [
  ['white', 45],
  ['blackOrAfricanAmerican', 15],
  ['asian', 6],
  ['americanIndianOrAlaskaNative', 1],
  ['nativeHawaiianOrOtherPacificIslander', 0.5],
  ['twoOrMore', 4.5],
];

const dayMs = 86_400_000;

/** Most students are born in the district's own town, some elsewhere in the US, one in ten abroad. */
function birthplaceOf(plan: DistrictPlan, random: Random): { country: string; state: string; city: string } {
  if (random.chance(0.1)) {
    const [country, city] = random.pick(foreignBirthplaces);
    return { country, state: '', city };
  }
  if (random.chance(0.7)) return { country: 'US', state: plan.district.state, city: plan.district.place };
  const [city, state] = random.pick(citiesOfBirth);
  return { country: 'US', state, city };
}

export function* demographicRows(plan: DistrictPlan): Generator<CsvRow> {
  const startYear = plan.options.schoolYear - 1;
  for (const student of eachStudent(plan)) {
    const random = plan.random.derive('demographics', student.number);
    const { sex } = studentPerson(plan, student.number);
    // Age on September 1 of the school year is the grade level plus five (kindergarten: five).
    const level = gradeLevel(student.grade.grade);
    const earliest = Date.UTC(startYear - level - 6, 8, 2);
    const birthDate = new Date(earliest + random.int(0, 364) * dayMs).toISOString().slice(0, 10);
    const race = random.weighted(raceWeights);
    const flags = new Set<Race>(race === 'twoOrMore' ? random.shuffle(races).slice(0, 2) : [race]);
    // Most are born in the district's own place, some elsewhere in the US, a tenth abroad.
    const birthplace = birthplaceOf(plan, random);
    yield {
      sourcedId: student.sourcedId,
      status: '',
      dateLastModified: '',
      birthDate,
      sex,
      americanIndianOrAlaskaNative: String(flags.has('americanIndianOrAlaskaNative')),
      asian: String(flags.has('asian')),
      blackOrAfricanAmerican: String(flags.has('blackOrAfricanAmerican')),
      nativeHawaiianOrOtherPacificIslander: String(flags.has('nativeHawaiianOrOtherPacificIslander')),
      white: String(flags.has('white')),
      demographicRaceTwoOrMoreRaces: String(race === 'twoOrMore'),
      hispanicOrLatinoEthnicity: String(random.chance(0.28)),
      countryOfBirthCode: birthplace.country,
      stateOfBirthAbbreviation: birthplace.state,
      cityOfBirth: birthplace.city,
      publicSchoolResidenceStatus: '',
    };
  }
}
