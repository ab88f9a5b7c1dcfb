import { describe, expect, it } from 'vitest';
import type { DistrictGrant, RosterUser } from '../ports.ts';
import { decideAccess } from './check-grant.ts';

const student: RosterUser = {
  userId: 'u1',
  districtId: 'd1',
  sourcedId: 's1',
  givenName: 'Ada',
  familyName: 'Lovelace',
  role: 'student',
  enabled: true,
  schoolIds: ['north'],
  grades: ['07'],
  classIds: ['math'],
};
const grant: DistrictGrant = { districtId: 'd1', appId: 'a1', claims: ['name'] };

describe('decideAccess', () => {
  it('allows a user inside an unrestricted grant', () => {
    expect(decideAccess(student, grant)).toMatchObject({ allowed: true });
  });

  it.each([
    ['no roster record', undefined, grant, 'SSO_USER_UNKNOWN'],
    ['a disabled user', { ...student, enabled: false }, grant, 'SSO_USER_DISABLED'],
    ['no grant', student, undefined, 'SSO_APP_NOT_GRANTED'],
    ['another district’s grant', student, { ...grant, districtId: 'd2' }, 'SSO_APP_NOT_GRANTED'],
    ['a role outside the grant', student, { ...grant, roles: ['teacher'] }, 'SSO_GRANT_ROLE_EXCLUDED'],
    ['a school outside the grant', student, { ...grant, schoolIds: ['south'] }, 'SSO_GRANT_SCHOOL_EXCLUDED'],
    ['no class in the grant', student, { ...grant, classIds: ['art'] }, 'SSO_GRANT_CLASS_EXCLUDED'],
  ] as const)('refuses %s', (_label, user, candidate, code) => {
    expect(decideAccess(user, candidate)).toMatchObject({ allowed: false, code });
  });

  it('names the first reason: role before school before class', () => {
    const strict: DistrictGrant = { ...grant, roles: ['teacher'], schoolIds: ['south'], classIds: ['art'] };
    expect(decideAccess(student, strict)).toMatchObject({ code: 'SSO_GRANT_ROLE_EXCLUDED' });
    expect(decideAccess(student, { ...strict, roles: ['student'] })).toMatchObject({
      code: 'SSO_GRANT_SCHOOL_EXCLUDED',
    });
  });

  it('allows when any one of several schools or classes is granted', () => {
    const user = { ...student, schoolIds: ['north', 'south'], classIds: ['math', 'art'] };
    expect(decideAccess(user, { ...grant, schoolIds: ['south'], classIds: ['art'] })).toMatchObject({
      allowed: true,
    });
  });
});
