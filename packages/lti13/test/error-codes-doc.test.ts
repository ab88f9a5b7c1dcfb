import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ltiErrorCatalog, ltiErrorCodes } from '../src/errors.ts';

/**
 * docs/lti13/error-codes.md is generated from the catalog. After changing a code, run
 * `UPDATE_DOCS=1 npx vitest run --project lti13 error-codes-doc` and commit the page.
 */
const page = new URL('../../../docs/lti13/error-codes.md', import.meta.url);

function render(): string {
  const rows = ltiErrorCodes.map((code) => {
    const entry: { status: number; specError?: string; title: string; fix: string } = ltiErrorCatalog[code];
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    return `| \`${code}\` | ${entry.status} | ${entry.specError === undefined ? '' : `\`${entry.specError}\``} | ${cell(entry.title)} | ${cell(entry.fix)} |`;
  });
  return `# @passport/lti13 error codes

Generated from \`ltiErrorCatalog\` in \`packages/lti13/src/errors.ts\` by \`packages/lti13/test/error-codes-doc.test.ts\`;
do not edit by hand. Every \`LtiError\` carries one of these codes, the status a handler answers with, the OAuth/OIDC
wire code where the spec defines one, and the text an LMS administrator needs.

| code | status | spec error | what went wrong | what to fix |
|---|---|---|---|---|
${rows.join('\n')}
`;
}

describe('error code page', () => {
  it('lists every code of the catalog, as generated', () => {
    const expected = render();
    if (process.env.UPDATE_DOCS === '1' || !existsSync(page)) writeFileSync(page, expected);
    expect(readFileSync(page, 'utf8')).toBe(expected);
  });
});
