/**
 * The OneRoster status info payload (imsx_StatusInfo), as the 1.1 JSON binding spells it:
 *
 * ```json
 * {
 *   "imsx_codeMajor": "failure",
 *   "imsx_severity": "error",
 *   "imsx_description": "…",
 *   "imsx_CodeMinor": {
 *     "imsx_codeMinorField": [{ "imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": "unknownobject" }]
 *   }
 * }
 * ```
 *
 * An error answers with one such object as the body. A read that succeeded with a warning (an unknown sort field)
 * carries them in a `statusInfoSet` array beside the data.
 */

export const codeMajors = ['success', 'processing', 'failure', 'unsupported'] as const;
export type CodeMajor = (typeof codeMajors)[number];

export const severities = ['status', 'warning', 'error'] as const;
export type Severity = (typeof severities)[number];

/** The code minor values of OneRoster 1.1 (and the OAuth-related ones servers use). */
export const codeMinors = [
  'fullsuccess',
  'invalid_filter_field',
  'invalid_selection_field',
  'invalid_sort_field',
  'invaliddata',
  'unauthorisedrequest',
  'forbidden',
  'server_busy',
  'unknownobject',
  'internal_server_error',
] as const;
export type CodeMinor = (typeof codeMinors)[number];

export interface CodeMinorField {
  imsx_codeMinorFieldName: string;
  imsx_codeMinorFieldValue: string;
}

export interface StatusInfo {
  imsx_codeMajor: CodeMajor;
  imsx_severity: Severity;
  imsx_description?: string;
  imsx_CodeMinor?: { imsx_codeMinorField: CodeMinorField[] };
}

/** The name the code minor field carries: the system that reports it. */
export const codeMinorFieldName = 'TargetEndSystem';

export function statusInfo(
  codeMajor: CodeMajor,
  severity: Severity,
  codeMinor: string,
  description: string,
): StatusInfo {
  return {
    imsx_codeMajor: codeMajor,
    imsx_severity: severity,
    imsx_description: description,
    imsx_CodeMinor: {
      imsx_codeMinorField: [
        { imsx_codeMinorFieldName: codeMinorFieldName, imsx_codeMinorFieldValue: codeMinor },
      ],
    },
  };
}

export const errorStatus = (codeMinor: string, description: string): StatusInfo =>
  statusInfo('failure', 'error', codeMinor, description);

export const warningStatus = (codeMinor: string, description: string): StatusInfo =>
  statusInfo('success', 'warning', codeMinor, description);
