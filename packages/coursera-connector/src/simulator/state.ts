import type { Clock } from '@passport/core';
import { createRandom, type Random, slugify } from './random.ts';

/**
 * The simulator's world: organizations, programs, contents, items, accounts, invitations, memberships (licenses),
 * enrollments and item grades. Everything is in memory and every list has a stable order (`sequence`), so the same
 * seed and the same calls give the same answers.
 */

export type ContentType = 'Course' | 'Specialization';
export type ItemType =
  | 'QUIZ'
  | 'EXAM'
  | 'PROGRAMMING_ASSIGNMENT'
  | 'PEER_REVIEW'
  | 'LAB'
  | 'DISCUSSION_PROMPT'
  | 'STAFF_GRADED'
  | 'UNGRADED';

export interface SimOrganization {
  id: string;
  name: string;
  /** Signs SSO hand-offs and their returns (modelled, not public). */
  handOffSecret: string;
}

export interface SimProgram {
  id: string;
  organizationId: string;
  name: string;
  tagline: string;
  slug: string;
  seats: number;
  contentIds: string[];
  sequence: number;
}

export interface SimContent {
  id: string;
  type: ContentType;
  name: string;
  slug: string;
  description: string;
  sequence: number;
}

export interface SimItem {
  id: string;
  contentId: string;
  moduleId: string;
  moduleName: string;
  name: string;
  itemType: ItemType;
  isGraded: boolean;
  /** Percent of the course grade. */
  gradingWeight: number;
  passingThreshold: number | null;
  order: number;
  maxScore: number | null;
}

export interface SimAccount {
  id: string;
  email: string;
  fullName: string;
  /** undefined for accounts created at an SSO sign-on (they sign on through the school only). */
  password: string | undefined;
}

export interface SimInvitation {
  id: string;
  programId: string;
  externalId: string;
  email: string;
  fullName: string;
  sendEmail: boolean;
  sentAt: number;
}

export interface SimMembership {
  programId: string;
  externalId: string;
  accountId: string | undefined;
  email: string;
  fullName: string;
  joinedAt: number;
  sequence: number;
}

export interface SimEnrollment {
  programId: string;
  externalId: string;
  contentId: string;
  enrolledAt: number;
  lastActivityAt: number;
  /** Percent. */
  overallProgress: number;
  isCompleted: boolean;
  completedAt: number | undefined;
  /** Percent; undefined before any graded work. */
  grade: number | undefined;
  sequence: number;
}

export interface SimItemGrade {
  programId: string;
  externalId: string;
  contentId: string;
  itemId: string;
  score: number | undefined;
  maxScore: number;
  isPassed: boolean;
  completedAt: number | undefined;
  updatedAt: number;
  sequence: number;
}

export interface SimOauthClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; `['*']` accepts any http(s) URI (development only). */
  redirectUris: string[];
}

export interface SimGrant {
  clientId: string;
  organizationId: string;
  scope: string;
  expiresAt: number;
  revoked: boolean;
}

export type ResultChange =
  | { type: 'itemGrade.updated'; grade: SimItemGrade }
  | { type: 'enrollment.updated'; enrollment: SimEnrollment };

export interface SimulatorState {
  readonly seed: number;
  readonly random: Random;
  now(): number;
  /** Moves the simulator's clock (token expiry, report lag) without waiting. */
  advanceClock(ms: number): void;
  nextSequence(): number;
  /** A sequence below every existing one: the element sorts first (a "total changed mid-crawl" insert). */
  frontSequence(): number;

  organizations: Map<string, SimOrganization>;
  programs: Map<string, SimProgram>;
  contents: Map<string, SimContent>;
  items: Map<string, SimItem>;
  accounts: Map<string, SimAccount>;
  /** `${organizationId}|${externalId}` → account id. */
  links: Map<string, string>;
  invitations: Map<string, SimInvitation>;
  memberships: Map<string, SimMembership>;
  enrollments: Map<string, SimEnrollment>;
  itemGrades: Map<string, SimItemGrade>;
  /** Told about every result change (the simulator's webhooks listen here). */
  resultListeners: ((change: ResultChange) => void)[];
  oauthClients: Map<string, SimOauthClient>;
  authorizationCodes: Map<
    string,
    {
      clientId: string;
      organizationId: string;
      redirectUri: string;
      scope: string;
      expiresAt: number;
      used: boolean;
    }
  >;
  accessTokens: Map<string, SimGrant>;
  refreshTokens: Map<string, SimGrant>;
}

export const membershipKey = (programId: string, externalId: string) => `${programId}~${externalId}`;
const enrollmentKey = (programId: string, externalId: string, contentId: string) =>
  `${programId}|${externalId}|${contentId}`;
export const itemGradeKey = (programId: string, externalId: string, itemId: string) =>
  `${programId}|${externalId}|${itemId}`;
export const linkKey = (organizationId: string, externalId: string) => `${organizationId}|${externalId}`;

export interface SeedOptions {
  seed: number;
  clock: Clock;
  oauthClients?: SimOauthClient[];
}

/** The fixed moment seeded history happens around, so a seed's world does not depend on today's date. */
export const SEED_EPOCH = Date.UTC(2025, 0, 6);

export function createSimulatorState(options: SeedOptions): SimulatorState {
  const random = createRandom(options.seed);
  let sequence = 0;
  let front = 0;
  let offsetMs = 0;
  const state: SimulatorState = {
    seed: options.seed,
    random,
    now: () => options.clock.now().getTime() + offsetMs,
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    nextSequence: () => ++sequence,
    frontSequence: () => --front,
    organizations: new Map(),
    programs: new Map(),
    contents: new Map(),
    items: new Map(),
    accounts: new Map(),
    links: new Map(),
    invitations: new Map(),
    memberships: new Map(),
    enrollments: new Map(),
    itemGrades: new Map(),
    resultListeners: [],
    oauthClients: new Map(),
    authorizationCodes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
  };
  seedWorld(state, options);
  return state;
}

const courseTitles = [
  'Foundations of Data Analysis',
  'Python for Everybody',
  'Statistics with Spreadsheets',
  'Technical Support Fundamentals',
  'Computer Networking Basics',
  'Operating Systems and You',
  'System Administration',
  'IT Security: Defense against the Digital Dark Arts',
];

const learnerNames = [
  'Maria Garcia',
  'James Okafor',
  'Li Wei',
  'Fatima Haddad',
  'Noah Johnson',
  'Aiko Tanaka',
  'Sofia Rossi',
  'Daniel Kim',
];

function seedWorld(state: SimulatorState, options: SeedOptions) {
  const { random } = state;
  const organization: SimOrganization = {
    id: random.id(),
    name: 'Springfield Unified School District',
    handOffSecret: `sim-hand-off-secret-${options.seed}`,
  };
  state.organizations.set(organization.id, organization);
  for (const client of options.oauthClients ?? [
    {
      clientId: 'passport-simulator',
      clientSecret: `passport-simulator-secret-${options.seed}`,
      redirectUris: ['*'],
    },
  ]) {
    state.oauthClients.set(client.clientId, client);
  }

  const titles = [...courseTitles];
  const dataProgram = addProgram(state, organization.id, {
    name: 'Data Science Foundations',
    tagline: 'Analyse data with spreadsheets and Python',
    seats: 30,
  });
  for (const title of titles.slice(0, 3)) addContent(state, dataProgram.id, { name: title, type: 'Course' });
  addContent(state, dataProgram.id, { name: 'Data Analysis Specialization', type: 'Specialization' });
  const itProgram = addProgram(state, organization.id, {
    name: 'Career Readiness: IT Support',
    tagline: 'Start a career in IT support',
    seats: 5,
  });
  for (const title of titles.slice(3, 6)) addContent(state, itProgram.id, { name: title, type: 'Course' });

  // Accounts that already exist on the platform, to link at a first sign-on.
  for (const name of learnerNames.slice(0, 3)) {
    const email = `${slugify(name).replace('-', '.')}@learners.example`;
    state.accounts.set(`acct-${slugify(name)}`, {
      id: `acct-${slugify(name)}`,
      email,
      fullName: name,
      password: 'coursera-simulator',
    });
  }

  // Learners who joined before: memberships, enrollments and some graded work, at fixed seeded times.
  for (const [index, name] of learnerNames.slice(3, 7).entries()) {
    const externalId = `${slugify(name).replace('-', '.')}@students.springfield.example`;
    const joinedAt = SEED_EPOCH + index * 3_600_000;
    addMember(state, dataProgram.id, {
      externalId,
      email: externalId,
      fullName: name,
      joinedAt,
      accountId: undefined,
    });
    const courseId = dataProgram.contentIds[index % 3]!;
    const items = itemsOf(state, courseId).filter((item) => item.isGraded);
    const done = random.integer(1, items.length);
    for (const item of items.slice(0, done)) {
      const maxScore = item.maxScore ?? 1;
      const score = Math.round(maxScore * (0.55 + random.next() * 0.45) * 10) / 10;
      recordItemResult(state, {
        programId: dataProgram.id,
        externalId,
        itemId: item.id,
        score,
        at: joinedAt + 86_400_000 * (item.order + 1),
      });
    }
  }
}

export function addProgram(
  state: SimulatorState,
  organizationId: string,
  input: { name: string; tagline?: string; seats?: number; front?: boolean },
): SimProgram {
  const program: SimProgram = {
    id: state.random.id(),
    organizationId,
    name: input.name,
    tagline: input.tagline ?? '',
    slug: slugify(input.name),
    seats: input.seats ?? 25,
    contentIds: [],
    sequence: input.front ? state.frontSequence() : state.nextSequence(),
  };
  state.programs.set(program.id, program);
  return program;
}

const itemTemplates: Omit<SimItem, 'id' | 'contentId' | 'moduleId' | 'order'>[] = [
  {
    moduleName: 'Week 1',
    name: 'Welcome to the course',
    itemType: 'UNGRADED',
    isGraded: false,
    gradingWeight: 0,
    passingThreshold: null,
    maxScore: null,
  },
  {
    moduleName: 'Week 1',
    name: 'Module 1 Quiz',
    itemType: 'QUIZ',
    isGraded: true,
    gradingWeight: 20,
    passingThreshold: 0.8,
    maxScore: 10,
  },
  {
    moduleName: 'Week 2',
    name: 'Programming Assignment',
    itemType: 'PROGRAMMING_ASSIGNMENT',
    isGraded: true,
    gradingWeight: 30,
    passingThreshold: 0.7,
    maxScore: 100,
  },
  {
    moduleName: 'Week 3',
    name: 'Peer-graded Project',
    itemType: 'PEER_REVIEW',
    isGraded: true,
    gradingWeight: 20,
    passingThreshold: 0.8,
    maxScore: 12,
  },
  {
    moduleName: 'Week 4',
    name: 'Final Exam',
    itemType: 'EXAM',
    isGraded: true,
    gradingWeight: 30,
    passingThreshold: 0.8,
    maxScore: 20,
  },
];

export function addContent(
  state: SimulatorState,
  programId: string,
  input: {
    name: string;
    type?: ContentType;
    description?: string;
    /** Default: the standard five items for a course, none for a specialization. */
    items?: Omit<SimItem, 'id' | 'contentId' | 'moduleId' | 'order'>[];
    front?: boolean;
  },
): SimContent {
  const program = state.programs.get(programId);
  if (program === undefined) throw new Error(`no program ${programId}`);
  const type = input.type ?? 'Course';
  const content: SimContent = {
    id: state.random.id(),
    type,
    name: input.name,
    slug: slugify(input.name),
    description:
      input.description ?? `${input.name}: a ${type === 'Course' ? 'course' : 'series of courses'}.`,
    sequence: input.front ? state.frontSequence() : state.nextSequence(),
  };
  state.contents.set(content.id, content);
  if (input.front) program.contentIds.unshift(content.id);
  else program.contentIds.push(content.id);
  for (const template of input.items ?? (type === 'Course' ? itemTemplates : []))
    addItem(state, content.id, template);
  return content;
}

export function addItem(
  state: SimulatorState,
  contentId: string,
  input: Omit<SimItem, 'id' | 'contentId' | 'moduleId' | 'order'> & { moduleId?: string },
): SimItem {
  const order = itemsOf(state, contentId).length;
  const item: SimItem = {
    ...input,
    id: state.random.id().slice(0, 5),
    contentId,
    moduleId: input.moduleId ?? slugify(input.moduleName),
    order,
  };
  while (state.items.has(item.id)) item.id = state.random.id().slice(0, 6);
  state.items.set(item.id, item);
  return item;
}

export function itemsOf(state: SimulatorState, contentId: string): SimItem[] {
  return [...state.items.values()]
    .filter((item) => item.contentId === contentId)
    .sort((a, b) => a.order - b.order);
}

export function usedSeats(state: SimulatorState, programId: string): number {
  let used = 0;
  for (const membership of state.memberships.values()) if (membership.programId === programId) used++;
  return used;
}

export type JoinOutcome = 'joined' | 'already-member' | 'program-full';

/** Makes the learner a member, taking a license, unless the program is full. */
export function addMember(
  state: SimulatorState,
  programId: string,
  input: {
    externalId: string;
    email: string;
    fullName: string;
    accountId: string | undefined;
    joinedAt?: number;
    front?: boolean;
  },
): JoinOutcome {
  const program = state.programs.get(programId);
  if (program === undefined) throw new Error(`no program ${programId}`);
  const key = membershipKey(programId, input.externalId);
  if (state.memberships.has(key)) return 'already-member';
  if (usedSeats(state, programId) >= program.seats) return 'program-full';
  state.memberships.set(key, {
    programId,
    externalId: input.externalId,
    accountId: input.accountId,
    email: input.email,
    fullName: input.fullName,
    joinedAt: input.joinedAt ?? state.now(),
    sequence: input.front ? state.frontSequence() : state.nextSequence(),
  });
  state.invitations.delete(key);
  return 'joined';
}

/** Removes the learner from the program, freeing their license. Their enrollments stay, as former member. */
export function removeMember(state: SimulatorState, programId: string, externalId: string): boolean {
  return state.memberships.delete(membershipKey(programId, externalId));
}

export function enroll(
  state: SimulatorState,
  programId: string,
  externalId: string,
  contentId: string,
  at?: number,
) {
  const key = enrollmentKey(programId, externalId, contentId);
  let enrollment = state.enrollments.get(key);
  if (enrollment === undefined) {
    const when = at ?? state.now();
    enrollment = {
      programId,
      externalId,
      contentId,
      enrolledAt: when,
      lastActivityAt: when,
      overallProgress: 0,
      isCompleted: false,
      completedAt: undefined,
      grade: undefined,
      sequence: state.nextSequence(),
    };
    state.enrollments.set(key, enrollment);
  }
  return enrollment;
}

/** Records an item result (a completion, with a score for graded items) and recomputes the course result. */
export function recordItemResult(
  state: SimulatorState,
  input: {
    programId: string;
    externalId: string;
    itemId: string;
    score?: number;
    at?: number;
    front?: boolean;
  },
): SimItemGrade {
  const item = state.items.get(input.itemId);
  if (item === undefined) throw new Error(`no item ${input.itemId}`);
  const at = input.at ?? state.now();
  const maxScore = item.maxScore ?? 1;
  const score = item.isGraded ? (input.score ?? maxScore) : undefined;
  const passed = score === undefined ? true : score / maxScore >= (item.passingThreshold ?? 0);
  const key = itemGradeKey(input.programId, input.externalId, item.id);
  const previous = state.itemGrades.get(key);
  const grade: SimItemGrade = {
    programId: input.programId,
    externalId: input.externalId,
    contentId: item.contentId,
    itemId: item.id,
    score,
    maxScore,
    isPassed: passed,
    completedAt: previous?.completedAt ?? at,
    updatedAt: at,
    sequence: previous?.sequence ?? (input.front ? state.frontSequence() : state.nextSequence()),
  };
  state.itemGrades.set(key, grade);
  const enrollment = enroll(state, input.programId, input.externalId, item.contentId, at);
  recomputeEnrollment(state, enrollment, at);
  for (const listener of state.resultListeners) listener({ type: 'itemGrade.updated', grade });
  for (const listener of state.resultListeners) listener({ type: 'enrollment.updated', enrollment });
  return grade;
}

/** Course progress, grade and completion follow from the item grades, weighted as the course says. */
function recomputeEnrollment(state: SimulatorState, enrollment: SimEnrollment, at: number) {
  const items = itemsOf(state, enrollment.contentId);
  const graded = items.filter((item) => item.isGraded);
  const counted = graded.length > 0 ? graded : items;
  const gradeOf = (item: SimItem) =>
    state.itemGrades.get(itemGradeKey(enrollment.programId, enrollment.externalId, item.id));
  const done = counted.filter((item) => gradeOf(item) !== undefined);
  enrollment.overallProgress = counted.length === 0 ? 0 : Math.round((100 * done.length) / counted.length);
  const scored = graded.filter((item) => gradeOf(item)?.score !== undefined);
  enrollment.grade =
    scored.length === 0
      ? undefined
      : Math.round(
          10 *
            scored.reduce((sum, item) => {
              const grade = gradeOf(item)!;
              return sum + (item.gradingWeight * grade.score!) / grade.maxScore;
            }, 0),
        ) / 10;
  const complete = counted.length > 0 && counted.every((item) => gradeOf(item)?.isPassed === true);
  if (complete && !enrollment.isCompleted) enrollment.completedAt = at;
  if (!complete) enrollment.completedAt = undefined;
  enrollment.isCompleted = complete;
  enrollment.lastActivityAt = at;
}

/** Sets a course result directly (the admin "set a result" without item grades). */
export function setCourseResult(
  state: SimulatorState,
  input: {
    programId: string;
    externalId: string;
    contentId: string;
    overallProgress?: number;
    grade?: number;
    isCompleted?: boolean;
    at?: number;
  },
): SimEnrollment {
  const at = input.at ?? state.now();
  const enrollment = enroll(state, input.programId, input.externalId, input.contentId, at);
  if (input.overallProgress !== undefined) enrollment.overallProgress = input.overallProgress;
  if (input.grade !== undefined) enrollment.grade = input.grade;
  if (input.isCompleted !== undefined) {
    if (input.isCompleted && !enrollment.isCompleted) enrollment.completedAt = at;
    if (!input.isCompleted) enrollment.completedAt = undefined;
    enrollment.isCompleted = input.isCompleted;
    if (input.isCompleted && input.overallProgress === undefined) enrollment.overallProgress = 100;
  }
  enrollment.lastActivityAt = at;
  for (const listener of state.resultListeners) listener({ type: 'enrollment.updated', enrollment });
  return enrollment;
}

export function sortedBySequence<Entity extends { sequence: number }>(entities: Iterable<Entity>): Entity[] {
  return [...entities].sort((a, b) => a.sequence - b.sequence);
}

/** A learner who joins while a client is paging (the "total changed mid-crawl" fault); takes an extra seat. */
export function addSyntheticMember(state: SimulatorState, program: SimProgram): string {
  const externalId = `mid.crawl.${state.random.id().slice(0, 6).toLowerCase()}@students.example`;
  program.seats++;
  addMember(state, program.id, {
    externalId,
    email: externalId,
    fullName: 'Mid Crawl',
    accountId: undefined,
    front: true,
  });
  return externalId;
}

/** A graded item result that appears while a client is paging; sorts first. */
export function addSyntheticItemGrade(state: SimulatorState, program: SimProgram): void {
  const contentId = program.contentIds.find((id) => state.contents.get(id)?.type === 'Course');
  const item =
    contentId === undefined ? undefined : itemsOf(state, contentId).find((candidate) => candidate.isGraded);
  if (item === undefined) return;
  const externalId = addSyntheticMember(state, program);
  recordItemResult(state, { programId: program.id, externalId, itemId: item.id, front: true });
}
