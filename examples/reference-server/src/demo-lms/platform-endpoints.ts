import type { Handler } from '../http/handler.ts';
import type { Router } from '../http/router.ts';
import type { LmsContext } from './context.ts';
import { renderError } from './guards.ts';

/** The platform endpoints under the LMS path, besides the AGS and NRPS services under `/lti/contexts/`. */
export const platformPaths = {
  authorize: '/lti/authorize',
  token: '/lti/token',
  jwks: '/lti/jwks',
  deepLinkingReturn: '/lti/deep-linking-return',
  register: '/lti/register',
  openidConfiguration: '/.well-known/openid-configuration',
  services: '/lti/contexts',
} as const;

/**
 * Mounts @passport/lti13's platform endpoints: OIDC authorization, the OAuth 2.0 token endpoint (client
 * credentials with a signed JWT assertion), the key set, the deep linking return, dynamic registration with its
 * OpenID configuration, and AGS (line items, scores, results) and NRPS (memberships) under `/lti/contexts/`.
 */
export function registerPlatformEndpoints(router: Router, context: LmsContext): void {
  const { base } = context;
  const forward: Handler = async (request) => {
    try {
      const lms = context.platform();
      const url = new URL(request.url);
      // The platform knows its public URLs: hand it the request as addressed to them (a proxy may have rewritten
      // the host or scheme), so its path routing and `aud` checks see what the tool sent.
      const publicUrl = new URL(`${context.lmsUrl()}${url.pathname.slice(base.length)}${url.search}`);
      if (publicUrl.href === url.href) return await lms.handle(request);
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      return await lms.handle(
        new Request(publicUrl, {
          method: request.method,
          headers: request.headers,
          ...(hasBody ? { body: await request.arrayBuffer() } : {}),
        }),
      );
    } catch (error) {
      return renderError(context, error);
    }
  };
  for (const path of [
    platformPaths.authorize,
    platformPaths.token,
    platformPaths.jwks,
    platformPaths.deepLinkingReturn,
    platformPaths.register,
    platformPaths.openidConfiguration,
  ]) {
    router.get(`${base}${path}`, forward);
    router.post(`${base}${path}`, forward);
  }
  router.mount(`${base}${platformPaths.services}`, forward);
}
