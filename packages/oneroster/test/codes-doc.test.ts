import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codesDocPath, renderCodesDoc } from '../scripts/codes-doc.ts';
import { oneRosterCsvFindingCodes } from '../src/csv/finding-codes.ts';
import { oneRosterErrorCodes } from '../src/errors.ts';

describe('docs/oneroster/codes.md', () => {
  it('is what the code tables render (run scripts/codes-doc.ts after changing a code)', () => {
    expect(readFileSync(codesDocPath, 'utf8')).toBe(renderCodesDoc());
  });

  it('lists every finding code and every error code', () => {
    const page = renderCodesDoc();
    for (const code of [...Object.keys(oneRosterCsvFindingCodes), ...Object.keys(oneRosterErrorCodes)]) {
      expect(page).toContain(`\`${code}\``);
    }
  });
});
