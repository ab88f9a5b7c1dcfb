import { describe, expect, it } from 'vitest';
import type { RosterUser } from '../ports.ts';
import { rosterClaims } from './roster-claims.ts';

const teacher: RosterUser = {
  userId: 'u1',
  districtId: 'd1',
  sourcedId: 't1',
  email: 'grace@example.org',
  givenName: 'Grace',
  familyName: 'Hopper',
  role: 'teacher',
  enabled: true,
  schoolIds: ['north', 'south'],
  grades: [],
  classIds: ['math', 'art'],
};

describe('rosterClaims', () => {
  it('releases exactly the claims the grant lists', () => {
    expect(rosterClaims(teacher, { districtId: 'd1', appId: 'a', claims: ['name', 'role'] })).toEqual({
      name: 'Grace Hopper',
      role: 'teacher',
    });
  });

  it('releases nothing for an empty claim list', () => {
    expect(rosterClaims(teacher, { districtId: 'd1', appId: 'a', claims: [] })).toEqual({});
  });

  it('names only the granted schools and classes', () => {
    const claims = rosterClaims(teacher, {
      districtId: 'd1',
      appId: 'a',
      schoolIds: ['south'],
      classIds: ['art'],
      claims: ['school_ids', 'class_ids', 'roster_sourced_id', 'district_id'],
    });
    expect(claims).toEqual({
      school_ids: ['south'],
      class_ids: ['art'],
      roster_sourced_id: 't1',
      district_id: 'd1',
    });
  });

  it('leaves out an email the roster does not have', () => {
    const { email: _email, ...withoutEmail } = teacher;
    expect(rosterClaims(withoutEmail, { districtId: 'd1', appId: 'a', claims: ['email'] })).toEqual({});
  });
});
