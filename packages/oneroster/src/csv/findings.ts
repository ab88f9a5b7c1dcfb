/**
 * What validation reports: a finding per problem, never an exception on the first one.
 * Codes are stable (documented in docs/oneroster/finding-codes.md); messages may improve over time.
 */

export type Severity = 'error' | 'warning';

export interface Finding<Code extends string = string> {
  /** The file inside the package, as named there (`users.csv`, `manifest.csv`), or the package itself (''). */
  file: string;
  /** 1-based line as an editor shows it: the header is line 1; a quoted record spanning lines is at its first line. 0 for the whole file. */
  line: number;
  /** The column's header name (`orgSourcedIds`), when the finding is about one cell or header. */
  column?: string;
  code: Code;
  severity: Severity;
  message: string;
  /** The raw cell text, when the finding is about one cell. */
  value?: string;
}
