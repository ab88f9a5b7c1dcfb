import { describe, expect, it } from 'vitest';
import { contextRoleUri, isInstructor, isLearner, parseRole, parseRoles } from './roles.ts';

describe('roles', () => {
  it('reads full URIs of the three vocabularies', () => {
    expect(parseRole('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner')).toMatchObject({
      kind: 'context',
      name: 'Learner',
      known: true,
      shortForm: false,
    });
    expect(parseRole('http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student')).toMatchObject({
      kind: 'institution',
      name: 'Student',
      known: true,
    });
    expect(parseRole('http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin')).toMatchObject({
      kind: 'system',
      name: 'SysAdmin',
      known: true,
    });
    expect(parseRole('http://purl.imsglobal.org/vocab/lti/system/person#TestUser')).toMatchObject({
      kind: 'system',
      name: 'TestUser',
      known: true,
    });
  });

  it('reads context sub-roles with their parent role', () => {
    expect(
      parseRole('http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'),
    ).toMatchObject({
      kind: 'context',
      name: 'Instructor',
      subRole: 'TeachingAssistant',
      known: true,
    });
  });

  it('expands short forms and LTI 1.1 URNs to full URIs', () => {
    expect(parseRole('Instructor')).toMatchObject({
      uri: contextRoleUri('Instructor'),
      kind: 'context',
      shortForm: true,
      known: true,
    });
    expect(parseRole('urn:lti:role:ims/lis/Learner')?.uri).toBe(
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
    );
    expect(parseRole('urn:lti:instrole:ims/lis/Faculty')?.uri).toBe(
      'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty',
    );
  });

  it('keeps unknown role URIs and names without refusing them', () => {
    expect(parseRole('http://purl.imsglobal.org/vocab/lis/v2/unknown/unknown#Helper')).toMatchObject({
      kind: 'unknown',
      name: 'Helper',
      known: false,
    });
    expect(parseRole('Wizard')).toMatchObject({ kind: 'unknown', known: false, shortForm: true });
  });

  it('drops empty strings: roles [""] means no role', () => {
    expect(parseRoles([''])).toEqual([]);
    expect(parseRoles(['', 'Learner'])).toHaveLength(1);
  });

  it('answers instructor and learner questions across forms', () => {
    expect(
      isInstructor(
        parseRoles(['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant']),
      ),
    ).toBe(true);
    expect(isLearner(parseRoles(['Learner']))).toBe(true);
    expect(
      isInstructor(parseRoles(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor'])),
    ).toBe(false);
  });
});
