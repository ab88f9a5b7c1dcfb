/**
 * users.csv: a district administrator; per school a principal and its teachers; then every student, each followed
 * by their parents or guardians. Students and guardians point at each other through agentSourcedIds.
 */
import type { CsvRow } from '../../csv/dataset.ts';
import { eachStudent, guardianId, teacherId } from '../each.ts';
import {
  guardiansOf,
  type Person,
  randomPerson,
  staffUsername,
  studentPerson,
  studentUsername,
  teacherPerson,
} from '../people.ts';
import type { DistrictPlan } from '../plan.ts';

interface UserFields {
  sourcedId: string;
  orgSourcedIds: string;
  role: string;
  username: string;
  userIds: string;
  person: Person;
  identifier: string;
  email: string;
  sms?: string;
  phone?: string;
  agentSourcedIds?: string;
  grades?: string;
}

function userRow(fields: UserFields): CsvRow {
  return {
    sourcedId: fields.sourcedId,
    status: '',
    dateLastModified: '',
    enabledUser: 'true',
    orgSourcedIds: fields.orgSourcedIds,
    role: fields.role,
    username: fields.username,
    userIds: fields.userIds,
    givenName: fields.person.givenName,
    familyName: fields.person.familyName,
    middleName: fields.person.middleName,
    identifier: fields.identifier,
    email: fields.email,
    sms: fields.sms ?? '',
    phone: fields.phone ?? '',
    agentSourcedIds: fields.agentSourcedIds ?? '',
    grades: fields.grades ?? '',
    password: '',
  };
}

/** Student numbers as the SIS shows them (`identifier`, `{SIS:...}`). */
const studentIdentifier = (number: number): string => String(100_000 + number);

function staffRow(
  plan: DistrictPlan,
  sourcedId: string,
  orgSourcedId: string,
  role: string,
  person: Person,
  username: string,
  identifier: string,
): CsvRow {
  return userRow({
    sourcedId,
    orgSourcedIds: orgSourcedId,
    role,
    username,
    userIds: `{LDAP:${username}}`,
    person,
    identifier,
    email: `${username}@${plan.staffDomain}`,
  });
}

export function* userRows(plan: DistrictPlan): Generator<CsvRow> {
  const superintendent = randomPerson(plan.random.derive('administrator', 0));
  yield staffRow(
    plan,
    'admin-0',
    plan.district.sourcedId,
    'administrator',
    superintendent,
    staffUsername(superintendent, 0, 'a'),
    'A0',
  );
  for (const school of plan.schools) {
    const principal = randomPerson(plan.random.derive('administrator', school.number));
    yield staffRow(
      plan,
      `admin-${school.number}`,
      school.sourcedId,
      'administrator',
      principal,
      staffUsername(principal, school.number, 'a'),
      `A${school.number}`,
    );
    for (let number = school.teacherOffset; number < school.teacherOffset + school.teacherCount; number++) {
      const teacher = teacherPerson(plan, number);
      yield staffRow(
        plan,
        teacherId(number),
        school.sourcedId,
        'teacher',
        teacher,
        staffUsername(teacher, number),
        `E${10_000 + number}`,
      );
    }
  }
  for (const student of eachStudent(plan)) {
    const person = studentPerson(plan, student.number);
    const guardians = guardiansOf(plan, student.number, person.familyName);
    const username = studentUsername(person, student.number);
    const identifier = studentIdentifier(student.number);
    yield userRow({
      sourcedId: student.sourcedId,
      orgSourcedIds: student.school.sourcedId,
      role: 'student',
      username,
      userIds: `{LDAP:${username}},{SIS:${identifier}}`,
      person,
      identifier,
      email: `${username}@${plan.studentDomain}`,
      agentSourcedIds: guardians.map((guardian) => guardianId(student.number, guardian.index)).join(','),
      grades: student.grade.grade,
    });
    for (const guardian of guardians) {
      const sourcedId = guardianId(student.number, guardian.index);
      yield userRow({
        sourcedId,
        orgSourcedIds: student.school.sourcedId,
        role: guardian.role,
        username: guardian.email || sourcedId,
        userIds: '',
        person: guardian.person,
        identifier: '',
        email: guardian.email,
        sms: guardian.sms,
        phone: guardian.phone,
        agentSourcedIds: student.sourcedId,
      });
    }
  }
}
