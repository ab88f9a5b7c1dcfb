/**
 * Collects findings up to a cap while counting them all: a package with eight million broken rows still yields a
 * report of bounded size with its true totals. The cap applies to errors and to warnings separately, so a flood of
 * warnings never hides the first errors.
 */
import { type OneRosterCsvFinding, type OneRosterCsvFindingCode, severityOf } from './finding-codes.ts';

export const defaultMaxFindings = 1000;

export class FindingCollector {
  readonly errors: OneRosterCsvFinding[] = [];
  readonly warnings: OneRosterCsvFinding[] = [];
  errorCount = 0;
  warningCount = 0;
  readonly #max: number;

  constructor(maxFindings: number = defaultMaxFindings) {
    this.#max = maxFindings;
  }

  /** Whether some findings were counted but not kept. */
  get truncated(): boolean {
    return this.errorCount > this.errors.length || this.warningCount > this.warnings.length;
  }

  /**
   * Counts a finding, and keeps it while under the cap. `message` may be a function, so that findings past the cap
   * cost no string building.
   */
  add(
    code: OneRosterCsvFindingCode,
    file: string,
    line: number,
    column: string | undefined,
    value: string | undefined,
    message: string | (() => string),
  ): void {
    const severity = severityOf(code);
    const kept = severity === 'error' ? this.errors : this.warnings;
    if (severity === 'error') this.errorCount++;
    else this.warningCount++;
    if (kept.length >= this.#max) return;
    const finding: OneRosterCsvFinding = {
      file,
      line,
      code,
      severity,
      message: typeof message === 'string' ? message : message(),
    };
    if (column !== undefined) finding.column = column;
    if (value !== undefined) finding.value = value;
    kept.push(finding);
  }

  /** Adds a finding built elsewhere (the package source's layout findings). */
  addFinding(finding: OneRosterCsvFinding): void {
    this.add(finding.code, finding.file, finding.line, finding.column, finding.value, finding.message);
  }
}
