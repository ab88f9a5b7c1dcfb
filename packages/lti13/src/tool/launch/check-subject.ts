import { LtiError } from '../../errors.ts';

/** Step 10. `sub` may be absent (an anonymous launch) but never empty. */
export function checkSubject(payload: Readonly<Record<string, unknown>>): void {
  if (!('sub' in payload)) return;
  const sub = payload.sub;
  if (typeof sub !== 'string')
    throw new LtiError('LTI_CLAIM_INVALID', 'The id_token claim "sub" is not a string.');
  if (sub.trim() === '') throw new LtiError('LTI_SUBJECT_EMPTY');
}
