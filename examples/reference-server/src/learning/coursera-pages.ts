import { randomBytes } from 'node:crypto';
import { html } from '@passport/core';
import type { ConsoleAuth } from '../console/console-auth.ts';
import type { PageWrapper } from '../console/console-routes.ts';
import { canAdminister } from '../console/district-pages.ts';
import { ServerError } from '../errors.ts';
import { gradeSyncPath } from '../gradesync/gradesync-pages.ts';
import type { Router } from '../http/router.ts';
import { redirect, renderPage } from '../web/page.ts';
import type { LearningService } from './learning-service.ts';

/** Where Coursera sends the district's administrator back after the one-time consent. */
export const courseraCallbackPath = '/console/coursera/callback';
const stateCookie = 'passport_coursera_consent';

/**
 * Connecting a district's Coursera program access from the console: the district admin enters what Coursera gave the
 * district (organization, OAuth client, and the SSO hand-off secret), then gives the one-time admin consent on
 * Coursera, which returns to `/console/coursera/callback`. The state travels in a cookie bound to the district.
 */
export function registerCourseraPages(
  router: Router,
  context: { auth: ConsoleAuth; learning: LearningService; page: PageWrapper },
): void {
  const { auth, learning, page } = context;

  // Registered before `/console/coursera/:tenant`, which would otherwise take `callback` for a district id.
  router.get(
    courseraCallbackPath,
    page(async (request, { url }) => {
      const saved = new RegExp(`(?:^|;\\s*)${stateCookie}=([a-z0-9-]+)\\.([A-Za-z0-9_-]+)`).exec(
        request.headers.get('cookie') ?? '',
      );
      if (saved === null || url.searchParams.get('state') !== saved[2]) {
        throw new ServerError(
          'SERVER_CSRF_INVALID',
          'This consent answer does not match a connection you started.',
          {
            status: 403,
          },
        );
      }
      const tenantId = saved[1] ?? '';
      await auth.require(request, canAdminister(tenantId));
      await learning.completeAuthorization(tenantId, url, saved[2] ?? '');
      return redirect(gradeSyncPath(tenantId), {
        'set-cookie': `${stateCookie}=; Path=/console/coursera; HttpOnly; SameSite=Lax; Max-Age=0`,
      });
    }),
  );
  router.get(
    '/console/coursera/:tenant',
    page(async (request, { params, url }) => {
      const tenantId = params.tenant ?? '';
      const session = await auth.require(request, canAdminister(tenantId));
      const current = (await learning.summaries()).find((summary) => summary.tenantId === tenantId);
      return renderPage({
        title: 'Connect Coursera',
        who: session.who,
        nav: session.nav,
        path: url.pathname,
        body: html`${
          current === undefined
            ? html`<p>This district has no Coursera connection yet.</p>`
            : html`<p>Connected to organization <code>${current.organizationId}</code>; consent <strong>${current.consent}</strong>. Saving again replaces it.</p>`
        }
<form class="stack" method="post" action="/console/coursera/${tenantId}">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<label>Organization id <input name="organizationId" required autocomplete="off"></label>
<label>OAuth client id <input name="clientId" required autocomplete="off"></label>
<label>OAuth client secret <input name="clientSecret" type="password" required autocomplete="off"></label>
<label>API URL (blank: Coursera's) <input name="apiUrl" type="url"></label>
<label>Accounts URL (blank: Coursera's) <input name="accountsUrl" type="url"></label>
<label>Learner site for the SSO hand-off (blank: none) <input name="handOffUrl" type="url"></label>
<label>Hand-off secret <input name="handOffSecret" type="password" autocomplete="off"></label>
<button type="submit">Save and give consent on Coursera</button>
</form>`,
      });
    }),
  );

  router.post(
    '/console/coursera/:tenant',
    page(async (request, { params }) => {
      const tenantId = params.tenant ?? '';
      const session = await auth.require(request, canAdminister(tenantId));
      const form = await auth.verifyForm(request, session);
      const field = (name: string) => String(form.get(name) ?? '').trim();
      const optional = (name: string) => (field(name) === '' ? undefined : field(name));
      const handOffUrl = optional('handOffUrl');
      try {
        await learning.connect({
          tenantId,
          organizationId: field('organizationId'),
          clientId: field('clientId'),
          clientSecret: field('clientSecret'),
          ...(optional('apiUrl') === undefined ? {} : { apiUrl: field('apiUrl') }),
          ...(optional('accountsUrl') === undefined ? {} : { accountsUrl: field('accountsUrl') }),
          redirectUri: new URL(courseraCallbackPath, request.url).href,
          ...(handOffUrl === undefined
            ? {}
            : { handOff: { siteUrl: handOffUrl, secret: field('handOffSecret') } }),
        });
      } catch (error) {
        if (error instanceof Error && error.name === 'ZodError') {
          throw new ServerError(
            'SERVER_BAD_REQUEST',
            `The Coursera connection is not valid: ${error.message}`,
            {
              status: 400,
            },
          );
        }
        throw error;
      }
      const state = randomBytes(16).toString('base64url');
      const consent = await learning.authorizationUrl(tenantId, state);
      return redirect(consent.href, {
        'set-cookie': `${stateCookie}=${tenantId}.${state}; Path=/console/coursera; HttpOnly; SameSite=Lax; Max-Age=900`,
      });
    }),
  );
}
