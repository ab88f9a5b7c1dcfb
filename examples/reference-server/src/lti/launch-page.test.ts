import { parseRoles } from '@passport/lti13';
import { describe, expect, it } from 'vitest';
import { describeCourse, describeRoles, describeUser } from './launch-page.ts';

describe('the launch page wording', () => {
  it('names the user by full name, then given and family names, then email, then id', () => {
    expect(describeUser({ id: 'u1', name: 'Sam Student', givenName: 'Samuel' })).toBe('Sam Student');
    expect(describeUser({ id: 'u1', givenName: 'Ada', familyName: 'Lovelace' })).toBe('Ada Lovelace');
    expect(describeUser({ id: 'u1', email: 'ada@example.edu' })).toBe('ada@example.edu');
    expect(describeUser({ id: 'u1', name: '' })).toBe('u1');
    expect(describeUser({})).toBe('Anonymous user');
  });

  it('puts course roles first, labels institution and system roles, keeps unknown roles as sent', () => {
    const roles = parseRoles([
      'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
      'https://lms.example.edu/roles#Proctor',
      'Learner',
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
      'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#Grader',
    ]);
    expect(describeRoles(roles)).toBe(
      'Learner, Instructor (Grader), Administrator (system), https://lms.example.edu/roles#Proctor',
    );
    expect(describeRoles(parseRoles(['']))).toBe('No role');
  });

  it('names the course by title and label, else label, else id', () => {
    expect(describeCourse({ id: 'c1', title: 'Biology', label: 'BIO-101' })).toBe('Biology (BIO-101)');
    expect(describeCourse({ id: 'c1', title: 'Biology', label: 'Biology' })).toBe('Biology');
    expect(describeCourse({ id: 'c1', label: 'BIO-101' })).toBe('BIO-101');
    expect(describeCourse({ id: 'c1', title: null })).toBe('c1');
    expect(describeCourse(undefined)).toBe('No course');
  });
});
