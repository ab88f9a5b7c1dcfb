import type { Clock } from '@passport/core';
import type { RosterUser } from '../../src/ports.ts';

export class TestClock implements Clock {
  #now: number;
  constructor(start = new Date()) {
    this.#now = start.getTime();
  }
  now() {
    return new Date(this.#now);
  }
  advance(seconds: number) {
    this.#now += seconds * 1000;
  }
}

export const districtId = 'district-maple';

const base = { districtId, enabled: true, grades: [] as string[], classIds: [] as string[] };

/** A small district: two schools, a few classes, students and a teacher, one disabled user. */
export const rosterUsers: RosterUser[] = [
  {
    ...base,
    userId: 'u-ada',
    sourcedId: 'stu-ada',
    sisId: 'S1001',
    username: 'ada',
    email: 'ada.lovelace@maple.k12.example',
    givenName: 'Ada',
    familyName: 'Lovelace',
    role: 'student',
    schoolIds: ['school-north'],
    grades: ['07'],
    classIds: ['class-math-7', 'class-art-7'],
  },
  {
    ...base,
    userId: 'u-alan',
    sourcedId: 'stu-alan',
    sisId: 'S1002',
    username: 'alan',
    email: 'alan.turing@maple.k12.example',
    givenName: 'Alan',
    familyName: 'Turing',
    role: 'student',
    schoolIds: ['school-south'],
    grades: ['08'],
    classIds: ['class-science-8'],
  },
  {
    ...base,
    userId: 'u-grace',
    sourcedId: 'tea-grace',
    sisId: 'T2001',
    username: 'grace',
    email: 'grace.hopper@maple.k12.example',
    givenName: 'Grace',
    familyName: 'Hopper',
    role: 'teacher',
    schoolIds: ['school-north'],
    classIds: ['class-math-7'],
  },
  {
    ...base,
    userId: 'u-parent',
    sourcedId: 'par-1',
    username: 'parent',
    givenName: 'Pat',
    familyName: 'Parent',
    role: 'parent',
    schoolIds: ['school-north'],
  },
  {
    ...base,
    userId: 'u-gone',
    sourcedId: 'stu-gone',
    username: 'gone',
    givenName: 'Disabled',
    familyName: 'Student',
    role: 'student',
    enabled: false,
    schoolIds: ['school-north'],
  },
];

export const password = 'correct horse battery staple';
