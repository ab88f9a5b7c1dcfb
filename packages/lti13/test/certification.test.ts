import { describe, expect, it } from 'vitest';
import { claimUris } from '../src/claims/uris.ts';
import type { LtiErrorCode } from '../src/errors.ts';
import { readCertificationCases } from './support/certification.ts';
import { codeOf, createHarness, toolOrigin } from './support/tool-harness.ts';

/**
 * The 1EdTech certification suite's launch payloads, as a table: every valid case is accepted, every invalid case
 * is refused with its own code. A case added to the shared folder without a row here fails the test.
 */
const invalidCases: Record<string, LtiErrorCode> = {
  'Correct KID Required in Header': 'LTI_KID_MISSING',
  'Incorrect KID passed in JWT Header': 'LTI_KID_UNKNOWN',
  'LTI version passed is not 1.3': 'LTI_VERSION_UNSUPPORTED',
  'No LTI Version Passed in JWT': 'LTI_VERSION_MISSING',
  'JWT Passed is Not LTI 1.3 JWT': 'LTI_NOT_LTI_TOKEN',
  'One or more JWT fields missing': 'LTI_CLAIMS_MISSING',
  'Exp and Iat Fields invalid': 'LTI_TOKEN_TOO_OLD',
  'message_type Claim Missing': 'LTI_MESSAGE_TYPE_MISSING',
  'role Claim Missing': 'LTI_ROLES_MISSING',
  'deployment_id Claim Missing': 'LTI_DEPLOYMENT_ID_MISSING',
  'Launch With Missing resource_link_id': 'LTI_RESOURCE_LINK_MISSING',
  'user Claim Missing': 'LTI_SUBJECT_EMPTY',
  // The core spec makes context optional; the validator refuses this launch, and so does the tool by default
  // (`requireContext: true`). See docs/lti13/quirks.md.
  'Launch Instructor With Email No Context': 'LTI_CONTEXT_MISSING',
};

const cases = readCertificationCases();

describe('certification suite', () => {
  it('reads every case of the shared folder and maps each invalid case to a distinct code', () => {
    expect(cases.filter((item) => item.expected === 'valid')).toHaveLength(21);
    const invalid = cases.filter((item) => item.expected === 'invalid').map((item) => item.name);
    expect(invalid.sort()).toEqual(Object.keys(invalidCases).sort());
    expect(new Set(Object.values(invalidCases)).size).toBe(Object.keys(invalidCases).length);
  });

  for (const item of cases) {
    it(`${item.expected}: ${item.name}`, async () => {
      const harness = await createHarness();
      const claimedTarget = item.payload[claimUris.targetLinkUri];
      const target =
        typeof claimedTarget === 'string' && URL.canParse(claimedTarget) ? claimedTarget : `${toolOrigin}/`;
      const login = await harness.login({ target_link_uri: target });
      expect(login.response.status).toBe(302);
      const payload: Record<string, unknown> = { ...item.payload };
      if ('nonce' in payload) payload.nonce = login.nonce;
      if (!item.keep.includes('iat') && 'iat' in payload) payload.iat = harness.clock.seconds - 5;
      if (!item.keep.includes('exp') && 'exp' in payload) payload.exp = harness.clock.seconds + 300;
      const idToken = harness.sign(payload, item.header);
      const response = await harness.launch({ idToken, state: login.state, cookie: login.cookie });
      if (item.expected === 'valid') {
        expect(response.status, await response.clone().text()).toBe(200);
        expect(harness.launches).toHaveLength(1);
        const launch = harness.launches[0];
        expect(launch?.issuer).toBe('https://ltiadvantagevalidator.imsglobal.org');
        expect(launch?.deploymentId).toBe('testdeploy');
        expect(launch?.messageType).toBe(payload[claimUris.messageType]);
      } else {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(await codeOf(response)).toBe(invalidCases[item.name]);
        expect(harness.launches).toHaveLength(0);
      }
    });
  }
});
