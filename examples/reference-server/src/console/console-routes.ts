import { html } from '@passport/core';
import type { Router } from '../http/router.ts';
import { stylesheet } from '../web/assets.ts';
import { redirect, renderPage } from '../web/page.ts';
import type { ConsoleAccount } from './accounts.ts';
import { pageHandler } from './console-auth.ts';
import type { ConsoleContext } from './console-context.ts';
import { registerDistrictPages } from './district-pages.ts';
import { registerLmsPages } from './lms-pages.ts';
import { registerOperatorPages } from './operator-pages.ts';
import { registerPartnerPages } from './partner-pages.ts';
import { registerRosterSourcePages } from './roster-source-pages.ts';
import { registerSignInPages } from './sign-in-pages.ts';

/** Where each role lands after sign-in. */
export function homeOf(account: ConsoleAccount): string {
  if (account.role === 'district_admin') return `/console/districts/${account.tenantId}`;
  if (account.role === 'partner_developer') return `/console/partners/${account.partnerId}`;
  return '/console/districts';
}

/**
 * The console: pages for platform operators, district admins and partner developers, signed in through Passport's
 * SSO (`/sso/signin`, password or the district's own sign-in). Every page checks the account's role and scope
 * (a district admin sees one district, a partner developer one partner); every form carries a CSRF token.
 */
export function registerConsole(router: Router, context: ConsoleContext): void {
  const { auth, logger } = context;
  const page = <Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) =>
    pageHandler(logger, handler);

  router.get('/assets/passport.css', () =>
    Promise.resolve(
      new Response(stylesheet, {
        headers: {
          'content-type': 'text/css; charset=utf-8',
          'cache-control': 'public, max-age=3600',
          'x-content-type-options': 'nosniff',
        },
      }),
    ),
  );

  router.get('/', () => Promise.resolve(redirect('/console')));

  router.get(
    '/console',
    page(async (request) => {
      const session = await auth.session(request);
      if (session !== undefined) return redirect(homeOf(session.account));
      if ((await context.sso.idp().currentUser(request)) !== undefined) {
        // Signed in to Passport (a student or a teacher), without a console account.
        return renderPage({
          title: 'Passport console',
          status: 403,
          body: html`<div class="notice warn"><p>This console is for district administrators, partners and operators.
Your apps are in your <a href="/sso/portal">portal</a>.</p></div>`,
        });
      }
      return renderPage({
        title: 'Passport console',
        body: html`<p>Districts connect their roster, LMS and learning platforms here; partners manage their
application's access; operators run the platform.</p>
<p><a class="button" href="/console/signin">Sign in</a></p>
<p class="muted">Students and teachers: your apps are in the <a href="/sso/portal">portal</a>.</p>`,
      });
    }),
  );

  router.get(
    '/console/signin',
    page(async (_request, { url }) => {
      const back = url.searchParams.get('return_to');
      const returnTo = back?.startsWith('/console') && !back.startsWith('//') ? back : '/console';
      return redirect(`/sso/signin?return_to=${encodeURIComponent(returnTo)}`);
    }),
  );

  router.post(
    '/console/signout',
    page(async (request) => {
      const session = await auth.require(request);
      await auth.verifyForm(request, session);
      const { setCookie } = await context.sso.idp().endSession(request);
      return redirect('/console', { 'set-cookie': setCookie });
    }),
  );

  registerOperatorPages(router, context, page);
  registerDistrictPages(router, context, page);
  registerSignInPages(router, context, page);
  registerPartnerPages(router, context, page);
  registerLmsPages(router, context, page);
  if (context.rosterSources !== undefined)
    registerRosterSourcePages(router, context, page, context.rosterSources);
}

export type PageWrapper = <Args extends unknown[]>(
  handler: (request: Request, ...args: Args) => Promise<Response>,
) => (request: Request, ...args: Args) => Promise<Response>;
