import { createHmac, timingSafeEqual } from 'node:crypto';
import { html, PassportError } from '@passport/core';
import { ServerError } from '../errors.ts';
import type { SsoService } from '../identity/sso-service.ts';
import type { Logger } from '../logger.ts';
import { type NavItem, redirect, renderPage } from '../web/page.ts';
import type { ConsoleAccount, ConsoleAccountStore } from './accounts.ts';

/** A signed-in console user on one request. */
export interface ConsoleSession {
  account: ConsoleAccount;
  /** Put it in every form as `_csrf`; `verifyForm` checks it. */
  csrfToken: string;
  nav: NavItem[];
  who: { name: string; role: string; csrfToken: string };
}

export const roleLabels: Record<ConsoleAccount['role'], string> = {
  operator: 'platform operator',
  district_admin: 'district admin',
  partner_developer: 'partner developer',
};

/** Thrown inside a page handler to answer with this response instead (a redirect to sign-in). */
export class PageRedirect extends Error {
  readonly response: Response;
  constructor(response: Response) {
    super('redirect');
    this.response = response;
  }
}

export interface ConsoleAuth {
  /** The console session, or undefined when nobody (or someone without a console account) is signed in. */
  session(request: Request): Promise<ConsoleSession | undefined>;
  /**
   * The console session of someone `allowed` lets in: otherwise a redirect to sign-in (nobody signed in) or a
   * 403 `SERVER_FORBIDDEN` (signed in, not allowed).
   */
  require(request: Request, allowed?: (account: ConsoleAccount) => boolean): Promise<ConsoleSession>;
  /** Reads a posted form (urlencoded or multipart) and checks its CSRF token and Origin; `SERVER_CSRF_INVALID`. */
  verifyForm(request: Request, session: ConsoleSession): Promise<FormData>;
}

export function createConsoleAuth(options: {
  sso: SsoService;
  accounts: ConsoleAccountStore;
  csrfSecret: Uint8Array;
}): ConsoleAuth {
  const { sso, accounts } = options;
  const tokenFor = (sessionId: string) =>
    createHmac('sha256', options.csrfSecret).update(`console-csrf:${sessionId}`).digest('base64url');

  async function session(request: Request): Promise<ConsoleSession | undefined> {
    const user = await sso.idp().currentUser(request);
    const accountId = user === undefined ? undefined : /^console:(.+)$/.exec(user.userId)?.[1];
    if (user === undefined || accountId === undefined) return undefined;
    const account = await accounts.get(accountId);
    if (account === undefined) return undefined;
    const csrfToken = tokenFor(user.sessionId);
    return {
      account,
      csrfToken,
      nav: navFor(account),
      who: { name: account.displayName, role: roleLabels[account.role], csrfToken },
    };
  }

  return {
    session,
    async require(request, allowed) {
      const found = await session(request);
      if (found === undefined && (await sso.idp().currentUser(request)) !== undefined) {
        // Signed in to Passport without a console account (a student, a teacher): no sign-in loop, a refusal.
        throw new ServerError('SERVER_FORBIDDEN', 'Your account cannot open the console.', { status: 403 });
      }
      if (found === undefined) {
        const url = new URL(request.url);
        const back = `${url.pathname}${url.search}`;
        throw new PageRedirect(redirect(`/console/signin?return_to=${encodeURIComponent(back)}`));
      }
      if (allowed !== undefined && !allowed(found.account)) {
        throw new ServerError('SERVER_FORBIDDEN', 'Your account cannot open this page.', { status: 403 });
      }
      return found;
    },
    async verifyForm(request, session) {
      const origin = request.headers.get('origin');
      if (origin !== null && origin !== new URL(request.url).origin) {
        throw new ServerError('SERVER_CSRF_INVALID', 'The form was posted from another site.', {
          status: 403,
        });
      }
      const form = await request.formData().catch(() => {
        throw new ServerError('SERVER_BAD_REQUEST', 'The request is not a form.', { status: 400 });
      });
      const given = Buffer.from(String(form.get('_csrf') ?? ''));
      const expected = Buffer.from(session.csrfToken);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ServerError('SERVER_CSRF_INVALID', 'The form has expired: reload the page and try again.', {
          status: 403,
        });
      }
      return form;
    },
  };
}

function navFor(account: ConsoleAccount): NavItem[] {
  if (account.role === 'operator') {
    return [
      { href: '/console/districts', label: 'Districts' },
      { href: '/console/partners', label: 'Partners' },
      { href: '/console/lms', label: 'LMS connections' },
      { href: '/console/operations', label: 'Operations' },
    ];
  }
  if (account.role === 'district_admin') {
    const base = `/console/districts/${account.tenantId}`;
    return [
      { href: base, label: 'Overview' },
      { href: `${base}/roster`, label: 'Roster' },
      { href: `${base}/imports`, label: 'Imports' },
      { href: `${base}/apps`, label: 'Apps' },
      { href: `${base}/sign-in`, label: 'Sign-in' },
      { href: `/console/gradesync/${account.tenantId}`, label: 'Grade sync' },
    ];
  }
  return [{ href: `/console/partners/${account.partnerId}`, label: 'My application' }];
}

/**
 * Wraps a page handler: a `PageRedirect` becomes its response, a PassportError an HTML page with its status, code
 * and safe description, anything else a 500 page (logged).
 */
export function pageHandler<Args extends unknown[]>(
  logger: Logger,
  handler: (request: Request, ...args: Args) => Promise<Response>,
): (request: Request, ...args: Args) => Promise<Response> {
  return async (request, ...args) => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      if (error instanceof PageRedirect) return error.response;
      if (PassportError.is(error)) {
        return renderPage({
          title:
            error.status === 403 ? 'Not allowed' : error.status === 404 ? 'Not found' : 'Something is wrong',
          status: error.status,
          body: html`<div class="notice bad" role="alert"><p>${error.description}</p><p class="muted">Code <code>${error.code}</code></p></div>
<p><a href="/console">Back to the console</a></p>`,
        });
      }
      logger.error('console page failed', { error, path: new URL(request.url).pathname });
      return renderPage({
        title: 'Something is wrong',
        status: 500,
        body: html`<div class="notice bad" role="alert"><p>The server failed to answer. The error is in its log.</p><p class="muted">Code <code>SERVER_INTERNAL_ERROR</code></p></div>`,
      });
    }
  };
}
