import { randomBytes } from 'node:crypto';
import { parseFilter, resolveFilter } from '@passport/oneroster';
import { type ConsoleAccountStore, consoleUserId, staffDistrictId } from '../console/accounts.ts';
import { rosterUserId } from '../identity/roster-directory.ts';
import type { SsoService } from '../identity/sso-service.ts';
import type { PartnerService } from '../partners/partner-service.ts';
import type { RosterService } from '../roster/roster-service.ts';

/** One demo person and how to sign in as them (printed in the banner, kept in `demo-credentials.json`). */
export interface DemoAccount {
  role: 'operator' | 'district admin' | 'partner developer' | 'teacher' | 'student';
  name: string;
  /** The district to pick on the sign-in page. */
  district: string;
  username: string;
  password: string;
}

export const demoPartner = {
  id: 'northwind',
  name: 'Northwind Learning',
  appName: 'Northwind Reading',
  appDescription: 'Reading practice that needs each class and its students (OneRoster roster-core).',
} as const;

const newPassword = () => randomBytes(12).toString('base64url');

/**
 * The demo's people, one per role: an operator and a partner developer (district `passport`), a district admin, and
 * a teacher with one of their students from the generated roster (district `demo`), each with a fresh password.
 */
export async function createDemoAccounts(options: {
  tenantId: string;
  sso: SsoService;
  accounts: ConsoleAccountStore;
  partners: PartnerService;
  roster: RosterService;
}): Promise<DemoAccount[]> {
  const { tenantId, sso, accounts, partners, roster } = options;
  const actor = 'demo';
  await partners.create({ ...demoPartner }, actor);
  // The students' portal: Coursera (the district's program, through the signed hand-off) for everyone.
  await sso.stores.apps.saveApp({
    appId: 'coursera',
    partnerId: 'coursera',
    name: 'Coursera',
    description: 'Your district’s Coursera program',
    launchUrl: '/learn/coursera',
  });
  await sso.stores.apps.saveGrant({
    districtId: tenantId,
    appId: 'coursera',
    roles: ['student', 'teacher'],
    claims: ['name'],
  });
  const made: DemoAccount[] = [];
  const consoleAccount = async (
    role: DemoAccount['role'],
    input: Parameters<ConsoleAccountStore['create']>[0],
    district: string,
  ) => {
    const account = await accounts.create(input, actor);
    const password = newPassword();
    await sso.setPassword({
      districtId: district,
      username: account.username,
      userId: consoleUserId(account.id),
      password,
    });
    made.push({ role, name: account.displayName, district, username: account.username, password });
  };
  await consoleAccount(
    'operator',
    { role: 'operator', username: 'operator', displayName: 'Olivia Operator' },
    staffDistrictId,
  );
  await consoleAccount(
    'district admin',
    { role: 'district_admin', tenantId, username: 'district-admin', displayName: 'Dana Admin' },
    tenantId,
  );
  await consoleAccount(
    'partner developer',
    {
      role: 'partner_developer',
      partnerId: demoPartner.id,
      username: 'partner-dev',
      displayName: 'Pat Developer',
    },
    staffDistrictId,
  );

  // A teacher with a class, and a student of that class, from the generated roster.
  const teachers = await roster.store.list(tenantId, {
    file: 'users',
    where: resolveFilter('users', parseFilter("role='teacher'")),
    limit: 20,
    offset: 0,
    includeDeleted: false,
  });
  for (const teacher of teachers.entities) {
    const classes = await roster.store.list(tenantId, {
      file: 'classes',
      membership: { type: 'classesOfUser', userSourcedId: teacher.sourcedId },
      limit: 1,
      offset: 0,
      includeDeleted: false,
    });
    const classId = classes.entities[0]?.sourcedId;
    if (classId === undefined) continue;
    const students = await roster.store.list(tenantId, {
      file: 'users',
      membership: { type: 'usersInClass', classSourcedId: classId, role: 'student' },
      limit: 1,
      offset: 0,
      includeDeleted: false,
    });
    const student = students.entities[0];
    if (student === undefined) continue;
    for (const [role, person] of [
      ['teacher', teacher],
      ['student', student],
    ] as const) {
      const username = String(person.username || person.sourcedId).toLowerCase();
      const password = newPassword();
      await sso.setPassword({
        districtId: tenantId,
        username,
        userId: rosterUserId(tenantId, person.sourcedId),
        password,
      });
      made.push({
        role,
        name: `${person.givenName ?? ''} ${person.familyName ?? ''}`.trim(),
        district: tenantId,
        username,
        password,
      });
    }
    break;
  }
  return made;
}
