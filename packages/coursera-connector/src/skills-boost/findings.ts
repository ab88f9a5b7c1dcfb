/**
 * What reading a Skills Boost activity report can find. Reading collects findings instead of stopping at the first;
 * an `error` makes the report unusable, a `warning` drops a value or a row and says so.
 */
export const skillsBoostFindingCodes = [
  /** The CSV itself cannot be parsed (unbalanced quotes, a row with the wrong number of cells). */
  'SKILLS_BOOST_CSV_MALFORMED',
  /** A required column (email, activity type, activity name, status) is absent from the header. */
  'SKILLS_BOOST_MISSING_COLUMN',
  /** A row without a learner email; the row is skipped. */
  'SKILLS_BOOST_MISSING_EMAIL',
  /** An activity type the connector does not know; the row is skipped. */
  'SKILLS_BOOST_UNKNOWN_ACTIVITY_TYPE',
  /** A status the connector does not know; read as not started. */
  'SKILLS_BOOST_UNKNOWN_STATUS',
  /** A score that is not a number from 0 to 100; the score is ignored. */
  'SKILLS_BOOST_BAD_SCORE',
  /** A date the connector cannot read; the date is ignored. */
  'SKILLS_BOOST_BAD_DATE',
  /** The same learner and activity twice; the later row wins. */
  'SKILLS_BOOST_DUPLICATE_ROW',
] as const;

export type SkillsBoostFindingCode = (typeof skillsBoostFindingCodes)[number];

export interface SkillsBoostFinding {
  code: SkillsBoostFindingCode;
  severity: 'error' | 'warning';
  /** 1-based line as an editor shows it (the header is line 1); 0 for the whole file. */
  line: number;
  /** The header name of the cell, when the finding is about one. */
  column?: string;
  message: string;
  value?: string;
}
