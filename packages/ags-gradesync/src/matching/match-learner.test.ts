import { describe, expect, it } from 'vitest';
import { createLearnerMatcher } from './match-learner.ts';

const at = new Date('2025-03-01T00:00:00Z');

describe('createLearnerMatcher', () => {
  it('matches through the account linked at first sign-on before anything else', () => {
    const matcher = createLearnerMatcher({
      platform: 'coursera',
      accountLinks: [
        { lmsId: 'lms-1', userId: 'sub-ada', platform: 'coursera', externalId: 'coursera-77', at },
      ],
      launches: [],
      members: [{ userId: 'sub-other', email: 'ada@school.example', roles: ['Learner'] }],
    });
    expect(matcher.match({ learnerExternalId: 'coursera-77', email: 'ada@school.example' })).toEqual({
      kind: 'matched',
      userId: 'sub-ada',
      via: 'account-link',
    });
  });

  it('without SSO, matches by NRPS email (case-insensitive) or lis_person_sourcedid', () => {
    const matcher = createLearnerMatcher({
      platform: 'coursera',
      accountLinks: [],
      launches: [],
      members: [
        { userId: 'sub-ada', email: 'Ada@School.example', roles: ['Learner'] },
        {
          userId: 'sub-bob',
          sourcedId: 'sis-bob',
          roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        },
      ],
    });
    expect(matcher.match({ learnerExternalId: 'ada@school.example' })).toEqual({
      kind: 'matched',
      userId: 'sub-ada',
      via: 'roster-email',
    });
    expect(matcher.match({ learnerExternalId: 'sis-bob', email: 'bob@school.example' })).toEqual({
      kind: 'matched',
      userId: 'sub-bob',
      via: 'roster-sourced-id',
    });
    expect(matcher.match({ learnerExternalId: 'sis-carol', email: 'carol@school.example' })).toEqual({
      kind: 'unmatched',
    });
  });

  it('matches by a launch’s email, and never considers instructors or inactive members', () => {
    const matcher = createLearnerMatcher({
      platform: 'coursera',
      accountLinks: [],
      launches: [{ lmsId: 'lms-1', userId: 'sub-dan', email: 'dan@school.example', at }],
      members: [
        { userId: 'sub-teacher', email: 'eve@school.example', roles: ['Instructor'] },
        { userId: 'sub-gone', email: 'fay@school.example', roles: ['Learner'], status: 'Inactive' },
      ],
    });
    expect(matcher.match({ learnerExternalId: 'x', email: 'dan@school.example' })).toMatchObject({
      kind: 'matched',
      userId: 'sub-dan',
      via: 'launch-email',
    });
    expect(matcher.match({ learnerExternalId: 'y', email: 'eve@school.example' })).toEqual({
      kind: 'unmatched',
    });
    expect(matcher.match({ learnerExternalId: 'z', email: 'fay@school.example' })).toEqual({
      kind: 'unmatched',
    });
  });

  it('reports ambiguities with every candidate instead of guessing', () => {
    const matcher = createLearnerMatcher({
      platform: 'coursera',
      accountLinks: [],
      launches: [],
      members: [
        { userId: 'sub-1', email: 'twin@school.example', roles: ['Learner'] },
        { userId: 'sub-2', email: 'twin@school.example', roles: ['Learner'] },
        { userId: 'sub-3', email: 'gil@school.example', roles: ['Learner'] },
        { userId: 'sub-4', sourcedId: 'sis-gil', roles: ['Learner'] },
      ],
    });
    expect(matcher.match({ learnerExternalId: 'twin@school.example' })).toEqual({
      kind: 'ambiguous',
      candidates: ['sub-1', 'sub-2'],
      via: ['roster-email'],
    });
    expect(matcher.match({ learnerExternalId: 'sis-gil', email: 'gil@school.example' })).toEqual({
      kind: 'ambiguous',
      candidates: ['sub-3', 'sub-4'],
      via: ['roster-email', 'roster-sourced-id'],
    });
  });

  it('uses the platform’s membership emails for results that carry none', () => {
    const matcher = createLearnerMatcher({
      platform: 'coursera',
      accountLinks: [],
      launches: [],
      members: [{ userId: 'sub-ada', email: 'ada@school.example', roles: ['Learner'] }],
      learnerEmails: new Map([['coursera-ada', 'ada@school.example']]),
    });
    expect(matcher.match({ learnerExternalId: 'coursera-ada' })).toMatchObject({
      kind: 'matched',
      userId: 'sub-ada',
    });
  });
});
