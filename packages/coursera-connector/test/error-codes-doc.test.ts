import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectorErrorCodes } from '../src/errors/connector-error.ts';
import { courseraErrorCodes, courseraToConnectorCode } from '../src/errors/coursera-error.ts';
import { skillsBoostFindingCodes } from '../src/skills-boost/findings.ts';

const page = readFileSync(new URL('../../../docs/coursera/error-codes.md', import.meta.url), 'utf8');
// Tables may be padded by the formatter: match cells, not exact spacing.
const documented = new Set([...page.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map((match) => match[1]));

describe('docs/coursera/error-codes.md', () => {
  it('lists every code of the unions, and no other', () => {
    const codes = [...connectorErrorCodes, ...courseraErrorCodes, ...skillsBoostFindingCodes];
    expect([...documented].sort()).toEqual([...codes].sort());
  });

  it('states the connector code each Coursera code becomes, as the code does', () => {
    for (const code of courseraErrorCodes) {
      expect(page).toMatch(
        new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*\`${courseraToConnectorCode[code]}\`\\s*\\|`),
      );
    }
  });
});
