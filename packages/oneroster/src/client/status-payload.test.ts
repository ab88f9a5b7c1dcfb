import { describe, expect, it } from 'vitest';
import { parseStatusPayloads } from './status-payload.ts';

describe('parseStatusPayloads', () => {
  it('reads the 1.1 payload at the root', () => {
    expect(
      parseStatusPayloads({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: 'No user',
        imsx_CodeMinor: {
          imsx_codeMinorField: [
            { imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: 'unknownobject' },
          ],
        },
      }),
    ).toEqual([
      { codeMajor: 'failure', severity: 'error', description: 'No user', codeMinor: ['unknownobject'] },
    ]);
  });

  it("reads other servers' spellings: lower-case codeMinor, a single field object, a string code minor", () => {
    expect(
      parseStatusPayloads({
        imsx_codemajor: 'failure',
        imsx_severity: 'error',
        imsx_codeMinor: {
          imsx_codeMinorField: { imsx_codeMinorFieldName: 'x', imsx_codeMinorFieldValue: 'forbidden' },
        },
      })[0]?.codeMinor,
    ).toEqual(['forbidden']);
    expect(
      parseStatusPayloads({ imsx_codeMajor: 'failure', imsx_codeMinor: 'server_busy' })[0]?.codeMinor,
    ).toEqual(['server_busy']);
    expect(
      parseStatusPayloads({ CodeMajor: 'failure', Severity: 'error', CodeMinor: 'invalid_filter_field' }),
    ).toEqual([{ codeMajor: 'failure', severity: 'error', codeMinor: ['invalid_filter_field'] }]);
  });

  it('reads payloads wrapped in imsx_StatusInfo or a statusInfoSet (array or object)', () => {
    const info = {
      imsx_codeMajor: 'success',
      imsx_severity: 'warning',
      imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldValue: 'invalid_sort_field' }] },
    };
    expect(parseStatusPayloads({ imsx_StatusInfo: info })[0]?.codeMinor).toEqual(['invalid_sort_field']);
    expect(parseStatusPayloads({ users: [], statusInfoSet: [info, info] })).toHaveLength(2);
    expect(parseStatusPayloads({ statusInfoSet: { imsx_statusInfo: [info] } })).toHaveLength(1);
  });

  it('finds nothing in bodies without status info', () => {
    expect(parseStatusPayloads({ users: [] })).toEqual([]);
    expect(parseStatusPayloads('oops')).toEqual([]);
    expect(parseStatusPayloads(undefined)).toEqual([]);
  });
});
