import { LtiError } from '../../errors.ts';
import type { LoginState, LoginStateStore } from '../../ports.ts';

/**
 * Step 9. The nonce must be the one this login issued. Otherwise the message says why: the nonce was never issued,
 * was already used (a replayed id_token), or belongs to another login. The login (and with it the nonce) is
 * marked used once the whole launch has passed (`consumeLogin`).
 */
export async function checkNonce(input: {
  nonce: string | undefined;
  login: LoginState;
  loginStates: LoginStateStore;
}): Promise<void> {
  const { nonce, login, loginStates } = input;
  if (nonce === undefined || nonce === '') throw new LtiError('LTI_NONCE_MISSING');
  if (nonce === login.nonce) return;
  const owner = await loginStates.getByNonce(nonce);
  if (owner === undefined) throw new LtiError('LTI_NONCE_UNKNOWN');
  if (owner.usedAt !== undefined) throw new LtiError('LTI_NONCE_REPLAYED');
  throw new LtiError('LTI_NONCE_MISMATCH');
}

/** Last step. Marks the login used; a second launch racing with the same state loses. */
export async function consumeLogin(input: {
  login: LoginState;
  loginStates: LoginStateStore;
  now: Date;
}): Promise<void> {
  if (!(await input.loginStates.markUsed(input.login.state, input.now)))
    throw new LtiError('LTI_STATE_REPLAYED');
}
