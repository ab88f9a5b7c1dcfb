import { parse } from 'csv-parse/sync';
import type { SkillsBoostFinding } from './findings.ts';

/**
 * Google Cloud Skills Boost publishes no learner API: a group admin downloads a CSV activity report from the group
 * admin portal. Its exact columns are not published either, so the reader finds columns by name, accepting the
 * usual spellings (case, spaces and underscores do not matter), and the names can be overridden.
 */

export type ActivityKind = 'lab' | 'course' | 'quest' | 'skill-badge' | 'learning-path';
export type ActivityStatus = 'completed' | 'in-progress' | 'not-started';

export interface ActivityRow {
  /** 1-based line of the row in the file. */
  line: number;
  email: string;
  fullName: string | undefined;
  kind: ActivityKind;
  /** The platform's own spelling of the kind (`Skill Badge`). */
  platformType: string;
  activityId: string;
  activityName: string;
  /** The course, quest or path a lab belongs to, by name, when the report says. */
  parentName: string | undefined;
  status: ActivityStatus;
  /** 0..100. */
  score: number | undefined;
  startedAt: Date | undefined;
  completedAt: Date | undefined;
  /** The badge earned with the activity, when one was. */
  badge: string | undefined;
}

export interface ActivityReport {
  rows: ActivityRow[];
  findings: SkillsBoostFinding[];
  /** True when no finding is an error. */
  usable: boolean;
}

export type ColumnRole =
  | 'email'
  | 'fullName'
  | 'activityType'
  | 'activityId'
  | 'activityName'
  | 'parentName'
  | 'status'
  | 'score'
  | 'startedAt'
  | 'completedAt'
  | 'badge';

/** The header names each role is found under, normalised (lower case, no spaces, underscores or hyphens). */
export const defaultColumnNames: Record<ColumnRole, string[]> = {
  email: ['email', 'memberemail', 'useremail', 'learneremail', 'emailaddress'],
  fullName: ['name', 'membername', 'fullname', 'learnername', 'username'],
  activityType: ['activitytype', 'type', 'contenttype'],
  activityId: ['activityid', 'id', 'contentid', 'labid'],
  activityName: ['activityname', 'activity', 'title', 'contentname', 'labname'],
  parentName: ['course', 'coursename', 'quest', 'learningpath', 'parent', 'parentactivity'],
  status: ['status', 'completionstatus'],
  score: ['score', 'labscore', 'percentscore'],
  startedAt: ['startedat', 'startdate', 'started', 'starttime'],
  completedAt: ['completedat', 'completiondate', 'completed', 'completiontime', 'enddate'],
  badge: ['badge', 'badgeearned', 'skillbadge', 'skillbadgeearned'],
};

const requiredRoles: ColumnRole[] = ['email', 'activityType', 'activityName', 'status'];

const kinds: Record<string, ActivityKind> = {
  lab: 'lab',
  handsonlab: 'lab',
  course: 'course',
  coursetemplate: 'course',
  quest: 'quest',
  skillbadge: 'skill-badge',
  badge: 'skill-badge',
  learningpath: 'learning-path',
  path: 'learning-path',
};

const statuses: Record<string, ActivityStatus> = {
  completed: 'completed',
  complete: 'completed',
  passed: 'completed',
  finished: 'completed',
  inprogress: 'in-progress',
  started: 'in-progress',
  notstarted: 'not-started',
  enrolled: 'not-started',
  '': 'not-started',
};

const normalise = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');

export function readActivityReport(
  text: string,
  options: { columns?: Partial<Record<ColumnRole, string[]>> } = {},
): ActivityReport {
  const findings: SkillsBoostFinding[] = [];
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    findings.push({
      code: 'SKILLS_BOOST_CSV_MALFORMED',
      severity: 'error',
      line,
      message: `The report is not readable CSV: ${(error as Error).message}`,
    });
    return { rows: [], findings, usable: false };
  }
  const [header, ...body] = records;
  if (header === undefined) {
    findings.push({
      code: 'SKILLS_BOOST_MISSING_COLUMN',
      severity: 'error',
      line: 1,
      message: 'The report is empty',
    });
    return { rows: [], findings, usable: false };
  }
  const names = header.record.map(normalise);
  const indexOf = {} as Record<ColumnRole, number>;
  for (const role of Object.keys(defaultColumnNames) as ColumnRole[]) {
    const wanted = (options.columns?.[role] ?? defaultColumnNames[role]).map(normalise);
    indexOf[role] = names.findIndex((name) => wanted.includes(name));
  }
  for (const role of requiredRoles) {
    if (indexOf[role] === -1) {
      findings.push({
        code: 'SKILLS_BOOST_MISSING_COLUMN',
        severity: 'error',
        line: 1,
        column: role,
        message: `No ${role} column (looked for ${(options.columns?.[role] ?? defaultColumnNames[role]).join(', ')})`,
      });
    }
  }
  if (findings.length > 0) return { rows: [], findings, usable: false };

  const headerName = (role: ColumnRole) => header.record[indexOf[role]]!;
  const rows = new Map<string, ActivityRow>();
  let previous = header.info;
  for (const { record, info } of body) {
    // csv-parse counts the line a record ends on; a quoted cell can span lines, and blank lines are skipped.
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    const cell = (role: ColumnRole) => (indexOf[role] === -1 ? '' : (record[indexOf[role]] ?? '').trim());
    const email = cell('email');
    if (email === '') {
      findings.push({
        code: 'SKILLS_BOOST_MISSING_EMAIL',
        severity: 'warning',
        line,
        column: headerName('email'),
        message: 'No email; row skipped',
      });
      continue;
    }
    const typeText = cell('activityType');
    const kind = kinds[normalise(typeText)];
    if (kind === undefined) {
      findings.push({
        code: 'SKILLS_BOOST_UNKNOWN_ACTIVITY_TYPE',
        severity: 'warning',
        line,
        column: headerName('activityType'),
        message: `Unknown activity type; row skipped`,
        value: typeText,
      });
      continue;
    }
    const statusText = cell('status');
    let status = statuses[normalise(statusText)];
    if (status === undefined) {
      findings.push({
        code: 'SKILLS_BOOST_UNKNOWN_STATUS',
        severity: 'warning',
        line,
        column: headerName('status'),
        message: 'Unknown status; read as not started',
        value: statusText,
      });
      status = 'not-started';
    }
    const activityName = cell('activityName');
    const row: ActivityRow = {
      line,
      email,
      fullName: cell('fullName') || undefined,
      kind,
      platformType: typeText,
      activityId: cell('activityId') || slug(activityName),
      activityName,
      parentName: cell('parentName') || undefined,
      status,
      score: readScore(cell('score'), line, indexOf.score === -1 ? 'score' : headerName('score'), findings),
      startedAt: readDate(
        cell('startedAt'),
        line,
        indexOf.startedAt === -1 ? '' : headerName('startedAt'),
        findings,
      ),
      completedAt: readDate(
        cell('completedAt'),
        line,
        indexOf.completedAt === -1 ? '' : headerName('completedAt'),
        findings,
      ),
      badge: readBadge(cell('badge'), kind, activityName),
    };
    const key = `${email.toLowerCase()}\u0000${kind}\u0000${row.activityId}`;
    if (rows.has(key)) {
      findings.push({
        code: 'SKILLS_BOOST_DUPLICATE_ROW',
        severity: 'warning',
        line,
        message: `${email} and ${activityName} appear again (line ${rows.get(key)!.line}); this row wins`,
      });
    }
    rows.set(key, row);
  }
  return {
    rows: [...rows.values()],
    findings,
    usable: !findings.some((finding) => finding.severity === 'error'),
  };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function readScore(
  text: string,
  line: number,
  column: string,
  findings: SkillsBoostFinding[],
): number | undefined {
  if (['', 'n/a', 'na', '-', '—'].includes(text.toLowerCase())) return undefined;
  const score = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(score) || score < 0 || score > 100) {
    findings.push({
      code: 'SKILLS_BOOST_BAD_SCORE',
      severity: 'warning',
      line,
      column,
      message: 'Not a score from 0 to 100; ignored',
      value: text,
    });
    return undefined;
  }
  return score;
}

/** ISO 8601, `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM[:SS][ UTC]`; dates without a zone are read as UTC. */
function readDate(
  text: string,
  line: number,
  column: string,
  findings: SkillsBoostFinding[],
): Date | undefined {
  if (text === '' || ['n/a', '-'].includes(text.toLowerCase())) return undefined;
  const match =
    /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|[+-]\d{2}:?\d{2})?)?$/i.exec(
      text,
    );
  if (match !== null) {
    const zone = match[3] === undefined || /^(z|utc)$/i.test(match[3]) ? 'Z' : match[3];
    const at = new Date(`${match[1]}T${match[2] ?? '00:00:00'}${zone}`);
    if (!Number.isNaN(at.getTime())) return at;
  }
  findings.push({
    code: 'SKILLS_BOOST_BAD_DATE',
    severity: 'warning',
    line,
    column,
    message: 'Not a date the connector reads; ignored',
    value: text,
  });
  return undefined;
}

function readBadge(text: string, kind: ActivityKind, activityName: string): string | undefined {
  const normalised = normalise(text);
  if (['', 'no', 'false', 'n', '0', 'n/a'].includes(normalised)) return undefined;
  if (['yes', 'true', 'y', '1', 'earned'].includes(normalised))
    return kind === 'lab' ? undefined : activityName;
  return text;
}
