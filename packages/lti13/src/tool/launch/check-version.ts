import { claimUris, ltiVersion } from '../../claims/uris.ts';
import { LtiError } from '../../errors.ts';

/** Step 12. `version` must be exactly `1.3.0`. */
export function checkVersion(payload: Readonly<Record<string, unknown>>): '1.3.0' {
  const version = payload[claimUris.version];
  if (version === undefined) throw new LtiError('LTI_VERSION_MISSING');
  if (version !== ltiVersion) {
    throw new LtiError(
      'LTI_VERSION_UNSUPPORTED',
      `The LTI version is ${JSON.stringify(version)}; this tool needs 1.3.0.`,
    );
  }
  return ltiVersion;
}
