import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ssoErrorCatalog, ssoErrorCodes } from '../src/errors.ts';

/**
 * docs/sso/error-codes.md is generated from the catalog. After changing a code, run
 * `UPDATE_DOCS=1 npx vitest run --project sso-idp error-codes-doc` and commit the page.
 */
const page = new URL('../../../docs/sso/error-codes.md', import.meta.url);

function render(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = ssoErrorCodes.map((code) => {
    const entry: { status: number; specError?: string; title: string; fix: string } = ssoErrorCatalog[code];
    return `| \`${code}\` | ${entry.status} | ${entry.specError === undefined ? '' : `\`${entry.specError}\``} | ${cell(entry.title)} | ${cell(entry.fix)} |`;
  });
  return `# @passport/sso-idp error codes

Generated from \`ssoErrorCatalog\` in \`packages/sso-idp/src/errors.ts\` by
\`packages/sso-idp/test/error-codes-doc.test.ts\`; do not edit by hand. Every \`SsoError\` carries one of these codes,
the status a handler answers with, the OAuth/OIDC or SAML wire code where there is one, the line a signed-out
person sees, and what a district administrator or app partner should change. Refusal pages show the code.

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
