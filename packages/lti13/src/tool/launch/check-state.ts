import { LtiError } from '../../errors.ts';
import { readCookie } from '../../http/cookies.ts';
import type { LoginState, LoginStateStore } from '../../ports.ts';

/** The cookie that ties a login's state to the browser that started it. */
export function stateCookieName(state: string): string {
  return `lti_state_${state}`;
}

export type StateBinding = 'cookie' | 'platform-storage' | 'needs-platform-storage';

/**
 * Step 4. The state must be one this tool issued, unused, unexpired, and tied to this browser: by the state cookie,
 * or by the value the verification page read back from the platform's storage. When neither is there but the login
 * used platform storage, the launch must first go through the verification page.
 */
export async function checkState(input: {
  state: string;
  storageState: string | undefined;
  request: Request;
  loginStates: LoginStateStore;
  now: Date;
}): Promise<{ login: LoginState; binding: StateBinding }> {
  const login = await input.loginStates.get(input.state);
  if (login === undefined) throw new LtiError('LTI_STATE_UNKNOWN');
  if (login.usedAt !== undefined) throw new LtiError('LTI_STATE_REPLAYED');
  if (input.now.getTime() > login.expiresAt.getTime()) throw new LtiError('LTI_STATE_EXPIRED');
  if (readCookie(input.request, stateCookieName(input.state)) === input.state) {
    return { login, binding: 'cookie' };
  }
  if (login.storageTarget !== undefined) {
    if (input.storageState === undefined) return { login, binding: 'needs-platform-storage' };
    if (input.storageState === input.state) return { login, binding: 'platform-storage' };
    throw new LtiError(
      'LTI_STATE_MISMATCH',
      'The state kept in the platform storage differs from the launch state.',
    );
  }
  throw new LtiError('LTI_STATE_MISMATCH', 'The browser holds no login state cookie for this state.');
}
