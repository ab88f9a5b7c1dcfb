import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeSyncErrorCodes, gradeSyncFindingCatalog } from '../src/errors.ts';
import { renderErrorCodesPage } from './support/error-codes-page.ts';

const pageUrl = new URL('../../../docs/gradesync/error-codes.md', import.meta.url);

describe('docs/gradesync/error-codes.md', () => {
  it('is rendered from the catalogs and lists every code', () => {
    const rendered = renderErrorCodesPage();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(pageUrl, rendered);
    const page = readFileSync(pageUrl, 'utf8');
    expect(page).toBe(rendered);
    const documented = [...page.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(
      [...gradeSyncErrorCodes, ...Object.keys(gradeSyncFindingCatalog)].sort(),
    );
  });
});
