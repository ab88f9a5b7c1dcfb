/** Synthetic people: names, usernames and family members, each derived from its own seeded stream. */
import type { SexType } from '../model/vocabulary.ts';
import { asciiSlug, familyNames, femaleGivenNames, maleGivenNames } from './names.ts';
import type { DistrictPlan } from './plan.ts';
import type { Random } from './random.ts';

export interface Person {
  sex: SexType;
  givenName: string;
  middleName: string;
  familyName: string;
}

export function randomPerson(random: Random, familyName?: string): Person {
  const sex: SexType = random.chance(0.5) ? 'female' : 'male';
  const names = sex === 'female' ? femaleGivenNames : maleGivenNames;
  return {
    sex,
    givenName: random.pick(names),
    middleName: random.chance(0.6) ? random.pick(random.chance(0.5) ? femaleGivenNames : maleGivenNames) : '',
    familyName: familyName ?? random.pick(familyNames),
  };
}

export const studentPerson = (plan: DistrictPlan, number: number): Person =>
  randomPerson(plan.random.derive('student', number));

export const teacherPerson = (plan: DistrictPlan, number: number): Person =>
  randomPerson(plan.random.derive('teacher', number));

/** `liam.nguyen42`: unique because the student number is. */
export const studentUsername = (person: Person, number: number): string =>
  `${asciiSlug(person.givenName)}.${asciiSlug(person.familyName)}${number}`;

/** `lnguyen42`: no dot, so never equal to a student's username. */
export const staffUsername = (person: Person, number: number, suffix = ''): string =>
  `${asciiSlug(person.givenName).slice(0, 1)}${asciiSlug(person.familyName)}${suffix}${number}`;

export interface Guardian {
  index: number;
  person: Person;
  role: 'parent' | 'guardian' | 'relative';
  email: string;
  phone: string;
  sms: string;
}

/** A student's one or two parents or guardians; most share the student's family name. */
export function guardiansOf(plan: DistrictPlan, student: number, studentFamilyName: string): Guardian[] {
  const random = plan.random.derive('family', student);
  const count = random.chance(0.65) ? 2 : 1;
  const guardians: Guardian[] = [];
  for (let index = 1; index <= count; index++) {
    const person = randomPerson(random, random.chance(0.85) ? studentFamilyName : undefined);
    const role = random.weighted([
      ['parent', 90],
      ['guardian', 7],
      ['relative', 3],
    ] as const);
    const email = random.chance(0.85)
      ? `${asciiSlug(person.givenName)}.${asciiSlug(person.familyName)}.${student}${index}@example.net`
      : '';
    // 555-01xx is reserved for fiction.
    const phone = random.chance(0.9)
      ? `+1-${random.int(200, 989)}-555-01${String(random.int(0, 99)).padStart(2, '0')}`
      : '';
    guardians.push({
      index,
      person,
      role,
      email,
      phone,
      sms: phone !== '' && random.chance(0.5) ? phone : '',
    });
  }
  return guardians;
}
