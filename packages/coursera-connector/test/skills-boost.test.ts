import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMemoryCatalogSnapshotStore } from '../src/adapters/memory/memory-catalog-snapshot-store.ts';
import { createMemoryReportSource } from '../src/adapters/memory/memory-report-source.ts';
import { createCatalogSync } from '../src/connector/catalog-sync.ts';
import type { LearningPlatformConnector } from '../src/connector/connector.ts';
import type { LearnerResult, ResultLevel } from '../src/connector/types.ts';
import { readActivityReport } from '../src/skills-boost/read-activity-report.ts';
import {
  createSkillsBoostConnector,
  STANDALONE_LABS_ID,
} from '../src/skills-boost/skills-boost-connector.ts';

const report = readFileSync(
  new URL('./__fixtures__/skills-boost/activity-report.csv', import.meta.url),
  'utf8',
);
const header = report.split('\n')[0]!;

function connectorWith(...texts: string[]) {
  const reports = createMemoryReportSource();
  for (const [index, text] of texts.entries()) {
    reports.add({ id: `report-${index + 1}`, receivedAt: new Date(Date.UTC(2025, 1, 10 + index)), text });
  }
  return {
    reports,
    connector: createSkillsBoostConnector({ groupId: 'cohort-7', groupName: 'Cloud Cohort 7', reports }),
  };
}

async function read(connector: LearningPlatformConnector, level: ResultLevel, since?: string) {
  const results: LearnerResult[] = [];
  let watermark = '';
  for await (const page of connector.results.read({
    programId: 'cohort-7',
    level,
    ...(since ? { since } : {}),
  })) {
    results.push(...page.results);
    watermark = page.watermark;
  }
  return { results, watermark };
}

describe('reading a Skills Boost activity report', () => {
  it('reads rows by column name: kinds, scores, dates, badges, a quoted name over two lines', () => {
    const read = readActivityReport(report);
    expect(read.usable).toBe(true);
    expect(read.findings).toEqual([]);
    expect(read.rows).toHaveLength(6);
    expect(read.rows[1]).toMatchObject({
      kind: 'lab',
      activityId: 'GSP002',
      score: 85,
      completedAt: new Date('2025-02-04T10:30:00Z'),
      parentName: 'Google Cloud Fundamentals',
    });
    expect(read.rows[0]!.completedAt).toEqual(new Date('2025-02-03T09:40:00Z'));
    expect(read.rows[4]).toMatchObject({ kind: 'skill-badge', badge: 'Build Infrastructure with Terraform' });
    expect(read.rows[5]).toMatchObject({
      line: 7,
      activityName: 'Automating Infrastructure\nwith Terraform',
    });
  });

  it('collects findings with their line instead of stopping', () => {
    const text = [
      header,
      'A,,Lab,L1,Lab one,,Completed,90,,,No',
      'B,b@x.example,Webinar,W1,Talk,,Completed,,,,No',
      '',
      'C,c@x.example,Lab,L1,Lab one,,Done-ish,120%,yesterday,,No',
      'C,c@x.example,Lab,L1,Lab one,,Completed,80,,2025-02-02,No',
    ].join('\n');
    const read = readActivityReport(text);
    expect(read.usable).toBe(true);
    expect(read.findings.map((finding) => [finding.code, finding.line, finding.column])).toEqual([
      ['SKILLS_BOOST_MISSING_EMAIL', 2, 'Member Email'],
      ['SKILLS_BOOST_UNKNOWN_ACTIVITY_TYPE', 3, 'Activity Type'],
      ['SKILLS_BOOST_UNKNOWN_STATUS', 5, 'Status'],
      ['SKILLS_BOOST_BAD_SCORE', 5, 'Score'],
      ['SKILLS_BOOST_BAD_DATE', 5, 'Started At'],
      ['SKILLS_BOOST_DUPLICATE_ROW', 6, undefined],
    ]);
    expect(read.rows).toEqual([
      expect.objectContaining({ email: 'c@x.example', score: 80, status: 'completed' }),
    ]);
  });

  it('refuses a report without a required column (SKILLS_BOOST_MISSING_COLUMN) or that is not CSV', () => {
    const missing = readActivityReport('Name,Email,Activity Name\nA,a@x.example,Lab one\n');
    expect(missing.usable).toBe(false);
    expect(missing.findings.map((finding) => [finding.code, finding.column])).toEqual([
      ['SKILLS_BOOST_MISSING_COLUMN', 'activityType'],
      ['SKILLS_BOOST_MISSING_COLUMN', 'status'],
    ]);
    const broken = readActivityReport(`${header}\nA,a@x.example,Lab\n`);
    expect(broken.findings.map((finding) => finding.code)).toEqual(['SKILLS_BOOST_CSV_MALFORMED']);
  });

  it('accepts other column spellings, and names given in options', () => {
    const read = readActivityReport(
      'EMAIL,type,TITLE,completion_status,Lab Score\nz@x.example,lab,Lab Z,passed,70\n',
    );
    expect(read.rows[0]).toMatchObject({
      email: 'z@x.example',
      activityId: 'lab-z',
      status: 'completed',
      score: 70,
    });
    const custom = readActivityReport('Learner,Kind,What,State\nq@x.example,Lab,Lab Q,Completed\n', {
      columns: { email: ['Learner'], activityType: ['Kind'], activityName: ['What'], status: ['State'] },
    });
    expect(custom.rows[0]).toMatchObject({ email: 'q@x.example', activityName: 'Lab Q' });
  });
});

describe('the Skills Boost connector behind the same interface', () => {
  it('the group is the program; courses, skill badges and labs’ courses are courses; labs are items', async () => {
    const { connector } = connectorWith(report);
    expect(connector.capabilities).toEqual({
      itemCatalog: true,
      itemResults: true,
      manageMembership: false,
      handOffReturn: false,
      push: false,
    });
    const [program] = await connector.catalog.listPrograms();
    expect(program).toMatchObject({ id: 'cohort-7', name: 'Cloud Cohort 7' });
    const courses = await connector.catalog.listCourses('cohort-7');
    expect(courses.map((course) => [course.id, course.platformType])).toEqual([
      ['course-fundamentals', 'Course'],
      ['badge-infra', 'Skill Badge'],
      [STANDALONE_LABS_ID, 'Lab'],
    ]);
    const labs = await connector.catalog.listItems('course-fundamentals');
    expect(labs.map((lab) => [lab.id, lab.type, lab.weight, lab.order, lab.maximumPoints])).toEqual([
      ['GSP001', 'lab', 0.5, 0, 100],
      ['GSP002', 'lab', 0.5, 1, 100],
    ]);
    expect((await connector.catalog.listItems(STANDALONE_LABS_ID)).map((lab) => lab.id)).toEqual(['GSP345']);
    await expect(connector.catalog.listItems('nope')).rejects.toMatchObject({ code: 'CONNECTOR_NOT_FOUND' });
  });

  it('lab results are points out of 100 with completion; course results carry the badge', async () => {
    const { connector } = connectorWith(report);
    const items = await read(connector, 'item');
    expect(items.results.find((result) => result.itemId === 'GSP002')).toMatchObject({
      learnerExternalId: 'ada@school.example',
      courseId: 'course-fundamentals',
      grade: { kind: 'points', points: 85, maximum: 100 },
      passed: true,
      progress: 1,
      completedAt: new Date('2025-02-04T10:30:00Z'),
    });
    expect(
      items.results.find(
        (result) => result.itemId === 'GSP001' && result.learnerExternalId === 'grace@school.example',
      ),
    ).toMatchObject({ progress: 0.5, passed: undefined, grade: undefined });
    const courses = await read(connector, 'course');
    expect(courses.results.find((result) => result.courseId === 'badge-infra')).toMatchObject({
      passed: true,
      badge: 'Build Infrastructure with Terraform',
      itemId: undefined,
    });
  });

  it('reads a report once: the same report again yields nothing new; a newer one is read whole', async () => {
    const { connector, reports } = connectorWith(report);
    const first = await read(connector, 'item');
    expect(first.watermark).toBe('2025-02-10T00:00:00.000Z');
    expect((await read(connector, 'item', first.watermark)).results).toEqual([]);
    reports.add({
      id: 'report-2',
      receivedAt: new Date('2025-02-17T00:00:00Z'),
      text: `${report.trimEnd()}\nGrace Hopper,grace@school.example,Lab,GSP002,Getting Started with Cloud Shell,Google Cloud Fundamentals,Completed,70,,2025-02-16,No\n`,
    });
    const second = await read(connector, 'item', first.watermark);
    expect(second.watermark).toBe('2025-02-17T00:00:00.000Z');
    expect(second.results).toHaveLength(first.results.length + 1);
  });

  it('lists the report’s learners as members; membership changes are CONNECTOR_NOT_SUPPORTED', async () => {
    const { connector } = connectorWith(report);
    const members = [];
    for await (const member of connector.learners.listMembers('cohort-7')) members.push(member.email);
    expect(members).toEqual(['ada@school.example', 'grace@school.example']);
    const learner = { externalId: 'x@school.example', email: 'x@school.example', fullName: 'X' };
    await expect(connector.learners.invite('cohort-7', learner)).rejects.toMatchObject({
      code: 'CONNECTOR_NOT_SUPPORTED',
    });
    await expect(connector.learners.remove('cohort-7', 'x')).rejects.toMatchObject({
      code: 'CONNECTOR_NOT_SUPPORTED',
    });
    await expect(connector.handOff.receiveReturn('https://x.example', { state: 's' })).rejects.toMatchObject({
      code: 'CONNECTOR_NOT_SUPPORTED',
    });
  });

  it('hands off to the lab or course page', () => {
    const { connector } = connectorWith(report);
    const learner = { externalId: 'a', email: 'a@x.example', fullName: 'A' };
    const common = { programId: 'cohort-7', learner, returnUrl: 'https://lms.example/return', state: 's' };
    expect(
      connector.handOff.buildUrl({ ...common, courseId: 'course-fundamentals', itemId: 'GSP001' }).toString(),
    ).toBe('https://www.cloudskillsboost.google/focuses/GSP001');
    expect(connector.handOff.buildUrl({ ...common, courseId: 'course-fundamentals' }).toString()).toBe(
      'https://www.cloudskillsboost.google/course_templates/course-fundamentals',
    );
  });

  it('an unreadable report is CONNECTOR_REPORT_INVALID with the findings', async () => {
    const { connector } = connectorWith('Name,Email\nA,a@x.example\n');
    await expect(connector.catalog.listPrograms()).rejects.toMatchObject({
      code: 'CONNECTOR_REPORT_INVALID',
      status: 422,
      detail: {
        findings: expect.arrayContaining([expect.objectContaining({ code: 'SKILLS_BOOST_MISSING_COLUMN' })]),
      },
    });
  });

  it('the same catalog sync detects a new lab from a newer report', async () => {
    const { connector, reports } = connectorWith(report);
    const sync = createCatalogSync({ connector, snapshots: createMemoryCatalogSnapshotStore() });
    await sync.syncNow();
    reports.add({
      id: 'report-2',
      receivedAt: new Date('2025-02-17T00:00:00Z'),
      text: `${report.trimEnd()}\nAda Lovelace,ada@school.example,Lab,GSP003,Cloud Storage: Qwik Start,Google Cloud Fundamentals,In Progress,,2025-02-16,,No\n`,
    });
    const result = await sync.syncNow();
    expect(result.changes!.items.added.map((item) => item.id)).toEqual(['GSP003']);
    expect(result.changes!.items.changed.map((change) => [change.after.id, change.fields])).toEqual([
      ['GSP001', ['weight']],
      ['GSP002', ['weight']],
    ]);
  });
});
