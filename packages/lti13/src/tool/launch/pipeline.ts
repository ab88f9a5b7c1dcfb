import type { Clock } from '@passport/core';
import type { LaunchMessageType } from '../../claims/uris.ts';
import type { RemoteKeySets } from '../../keys/remote-key-sets.ts';
import type { LoginState, LoginStateStore, PlatformRegistry } from '../../ports.ts';
import { audienceList, checkAudience } from './check-audience.ts';
import { checkDeployment } from './check-deployment.ts';
import { checkLtiToken } from './check-lti-token.ts';
import { checkMessageClaims } from './check-message-claims.ts';
import { checkMessageType } from './check-message-type.ts';
import { checkNonce, consumeLogin } from './check-nonce.ts';
import { checkRequiredClaims } from './check-required-claims.ts';
import { checkState } from './check-state.ts';
import { checkSubject } from './check-subject.ts';
import { checkTargetLinkUri } from './check-target-link-uri.ts';
import { checkTokenTime } from './check-token-time.ts';
import { checkVersion } from './check-version.ts';
import { decodeIdToken } from './decode-id-token.ts';
import { findRegistration } from './find-registration.ts';
import type { LtiLaunch } from './launch.ts';
import { parseClaims } from './parse-claims.ts';
import { readLaunchRequest } from './read-launch-request.ts';
import { verifyIdToken } from './verify-id-token.ts';

export interface LaunchPipelineDependencies {
  readonly registry: PlatformRegistry;
  readonly loginStates: LoginStateStore;
  readonly keySets: RemoteKeySets;
  readonly clock: Clock;
  readonly clockSkewSeconds: number;
  readonly maxLaunchAgeSeconds: number;
  readonly requireContext: boolean;
  readonly messageTypes: readonly LaunchMessageType[];
}

export type LaunchOutcome =
  | { readonly kind: 'launch'; readonly launch: LtiLaunch; readonly state: string }
  /** The state must first be read back from the platform's storage by the verification page. */
  | { readonly kind: 'verify-platform-storage'; readonly login: LoginState; readonly idToken: string };

/**
 * The launch validation, step by step in the order of LTI 1.3 core §5.1.3 and the Security Framework §5.1.3: read
 * the form post, decode, state, registration, audience, signature, times, nonce, then the LTI claims. Each step is
 * its own file; each refusal its own `LtiError` code. Nothing is marked used until every step has passed.
 */
export async function runLaunchPipeline(
  request: Request,
  dependencies: LaunchPipelineDependencies,
): Promise<LaunchOutcome> {
  const { registry, loginStates, keySets, clock } = dependencies;
  const now = clock.now();

  const { idToken, state, storageState } = await readLaunchRequest(request); // 1
  const decoded = decodeIdToken(idToken); // 2
  const registered = checkLtiToken(decoded.payload); // 3
  const { login, binding } = await checkState({ state, storageState, request, loginStates, now }); // 4
  const audience = audienceList(registered.aud);
  const registration = await findRegistration({ login, issuer: registered.iss, audience, registry }); // 5
  checkAudience({ audience, azp: registered.azp, clientId: registration.clientId }); // 6
  await verifyIdToken({ decoded, registration, keySets }); // 7
  checkTokenTime({
    claims: registered,
    now,
    clockSkewSeconds: dependencies.clockSkewSeconds,
    maxLaunchAgeSeconds: dependencies.maxLaunchAgeSeconds,
  }); // 8
  await checkNonce({ nonce: registered.nonce, login, loginStates }); // 9
  checkSubject(decoded.payload); // 10
  checkRequiredClaims(decoded.payload); // 11
  checkVersion(decoded.payload); // 12
  const messageType = checkMessageType(decoded.payload, dependencies.messageTypes); // 13
  const deployment = await checkDeployment({ payload: decoded.payload, registration, registry }); // 14
  checkMessageClaims({ messageType, payload: decoded.payload, requireContext: dependencies.requireContext }); // 15
  checkTargetLinkUri(decoded.payload, login.targetLinkUri); // 16
  const stateBinding = binding === 'needs-platform-storage' ? 'platform-storage' : binding;
  const launch = parseClaims({
    payload: decoded.payload,
    messageType,
    registration,
    deployment,
    targetLinkUri: login.targetLinkUri,
    stateBinding,
  }); // 17
  if (binding === 'needs-platform-storage') return { kind: 'verify-platform-storage', login, idToken };
  await consumeLogin({ login, loginStates, now }); // 18
  return { kind: 'launch', launch, state };
}
