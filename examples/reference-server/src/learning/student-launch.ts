import { createHash, randomBytes } from 'node:crypto';
import { html } from '@passport/core';
import type { LtiLaunch } from '@passport/lti13';
import { type District, type SignInMethod, type SsoIdp, updateDistrict } from '@passport/sso-idp';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.ts';
import { ServerError } from '../errors.ts';
import { customKeys } from '../gradesync/deep-link-keys.ts';
import type { GradeSyncService } from '../gradesync/gradesync-service.ts';
import type { Router } from '../http/router.ts';
import { parseRosterUserId } from '../identity/roster-directory.ts';
import type { SsoService } from '../identity/sso-service.ts';
import type { Logger } from '../logger.ts';
import { redirect, renderPage } from '../web/page.ts';
import type { LearningService } from './learning-service.ts';

/** Where the student's way from the LMS to the learning platform lives on this server. */
export const learnBasePath = '/learn';
const ticketSeconds = 300;
const handOffCookie = 'passport_hand_off';

type LmsUpstream = Extract<SignInMethod, { kind: 'lms' }>;
type VerifiedLaunch = Parameters<SsoIdp['signInFromLaunch']>[1];

interface Target {
  lmsId: string;
  bindingId: string;
  itemId?: string;
  lmsUserId: string;
}

export interface StudentLaunch {
  /**
   * The page an accepted resource-link launch of a deep-linked Coursera activity shows inside the LMS: a button
   * that opens the activity in its own window (a learning platform cannot be framed, and third-party cookies may be
   * blocked in the frame). Undefined when the launch is not one of ours (no Passport binding in its custom claims).
   */
  start(
    launch: LtiLaunch,
    context: { lmsId: string; tenantId: string | undefined },
  ): Promise<Response | undefined>;
  register(router: Router): void;
}

/*
 * A student's first sign-on, step by step:
 * 1. the launch (in the LMS frame) leaves a one-time ticket holding the verified launch, and a button to continue;
 * 2. `/learn/continue/:ticket`, now first-party, signs the student in to Passport from that launch (the district's
 *    LMS sign-in, matched to the roster) and goes on to `/learn/go`;
 * 3. `/learn/go` hands the signed-in student to Coursera (the signed hand-off), where the first visit links or
 *    creates their Coursera account and joins the program, then opens the item;
 * 4. `/learn/return` verifies Coursera's signed return, records the account link for grade sync (LMS user ↔
 *    Coursera learner) and asks for a sync of the course, so the student's work reaches the LMS gradebook.
 */
export function createStudentLaunch(options: {
  database: DatabaseHandle;
  sso: SsoService;
  learning: LearningService;
  gradeSync: Pick<GradeSyncService, 'overview' | 'requestSync' | 'recordAccountLink'>;
  publicUrl: () => string;
  logger: Logger;
}): StudentLaunch {
  const { database, sso, learning, gradeSync, logger } = options;
  const hash = (ticket: string) => createHash('sha256').update(ticket).digest('base64url');
  const origin = () => new URL(options.publicUrl()).origin;

  async function bindingOf(tenantId: string, bindingId: string) {
    const { bindings } = await gradeSync.overview({ tenantId, runs: 0 });
    const found = bindings.find((entry) => entry.binding.id === bindingId)?.binding;
    if (found === undefined) {
      throw new ServerError('SERVER_LAUNCH_INVALID', 'This activity is not linked to a course any more.', {
        status: 404,
      });
    }
    return found;
  }

  /** The district signs in with this LMS registration (the LIS sourcedId, then the email, matched to the roster). */
  async function ensureLmsSignIn(tenantId: string, launch: VerifiedLaunch) {
    // Safe when a class's students launch at once: a save over another is redone on what that one stored.
    await updateDistrict(sso.stores.districts, tenantId, (district) => {
      if (district === undefined)
        throw new ServerError('SERVER_TENANT_NOT_FOUND', `No district ${tenantId}.`, { status: 404 });
      return withLmsSignIn(district, launch);
    });
  }

  /** The district with a sign-in method for this LMS registration, or undefined when it has one already. */
  function withLmsSignIn(district: District, launch: VerifiedLaunch): District | undefined {
    const covers = district.signInMethods.some(
      (method) =>
        method.kind === 'lms' &&
        method.issuer === launch.issuer &&
        (method.clientId === undefined || method.clientId === launch.clientId) &&
        (method.deploymentIds === undefined || method.deploymentIds.includes(launch.deploymentId)),
    );
    if (covers) return undefined;
    const method: LmsUpstream = {
      kind: 'lms',
      id: `lms-${createHash('sha256').update(`${launch.issuer}\n${launch.clientId}`).digest('hex').slice(0, 12)}`,
      name: 'Your school LMS',
      issuer: launch.issuer,
      clientId: launch.clientId,
      deploymentIds: [launch.deploymentId],
      match: [
        { claim: 'lis_person_sourcedid', attribute: 'sourcedId' },
        { claim: 'email', attribute: 'email' },
      ],
    };
    const others = district.signInMethods.filter((existing) => existing.id !== method.id);
    const previous = district.signInMethods.find((existing) => existing.id === method.id);
    const deploymentIds =
      previous?.kind === 'lms'
        ? [...new Set([...(previous.deploymentIds ?? []), launch.deploymentId])]
        : [launch.deploymentId];
    return { ...district, signInMethods: [...others, { ...method, deploymentIds }] };
  }

  return {
    async start(launch, context) {
      const bindingId = launch.custom?.[customKeys.binding];
      if (typeof bindingId !== 'string' || launch.messageType !== 'LtiResourceLinkRequest') return undefined;
      const itemId = launch.custom?.[customKeys.item];
      if (context.tenantId === undefined || launch.user.id === undefined) {
        throw new ServerError('SERVER_LAUNCH_INVALID', 'This LMS is not connected to a district yet.', {
          status: 400,
        });
      }
      const lis = launch.lis;
      const verified: VerifiedLaunch = {
        issuer: launch.issuer,
        clientId: launch.clientId,
        deploymentId: launch.deploymentId,
        subject: launch.user.id,
        claims: {
          sub: launch.user.id,
          ...(launch.user.email === undefined ? {} : { email: launch.user.email }),
          ...(lis?.person_sourcedid === undefined ? {} : { lis_person_sourcedid: lis.person_sourcedid }),
        },
      };
      const target: Target = {
        lmsId: context.lmsId,
        bindingId,
        ...(typeof itemId === 'string' ? { itemId } : {}),
        lmsUserId: launch.user.id,
      };
      const ticket = randomBytes(32).toString('base64url');
      await sql`insert into launch_tickets (ticket_hash, tenant_id, launch, target, expires_at)
        values (${hash(ticket)}, ${context.tenantId}, ${JSON.stringify(verified)}::jsonb, ${JSON.stringify(target)}::jsonb,
          ${new Date(Date.now() + ticketSeconds * 1000)})`.execute(database.db);
      const title = launch.resourceLink?.title ?? 'your activity';
      return renderPage({
        title: String(title),
        body: html`<p>This activity opens on Coursera, in its own window.</p>
<p><a class="button" href="${learnBasePath}/continue/${ticket}" target="_blank" rel="noopener">Open on Coursera</a></p>
<p class="muted">The first time, you link your Coursera account; your grade comes back to this class.</p>`,
        headers: {
          'content-security-policy':
            "default-src 'none'; style-src 'self'; frame-ancestors *; base-uri 'none'",
        },
      });
    },

    register(router) {
      router.get(`${learnBasePath}/continue/:ticket`, async (request, { params }) => {
        const rows = await sql<{ tenant_id: string; launch: VerifiedLaunch; target: Target }>`
          update launch_tickets set used_at = now()
          where ticket_hash = ${hash(params.ticket ?? '')} and used_at is null and expires_at > now()
          returning tenant_id, launch, target`.execute(database.db);
        const row = rows.rows[0];
        if (row === undefined) {
          return renderPage({
            title: 'This link has expired',
            status: 410,
            body: html`<div class="notice bad" role="alert"><p>Open the activity again from your class: each link works once, for a few minutes.</p><p class="muted">Code <code>SERVER_LAUNCH_TICKET_INVALID</code></p></div>`,
          });
        }
        await ensureLmsSignIn(row.tenant_id, row.launch);
        const next = new URLSearchParams({
          binding: row.target.bindingId,
          lms: row.target.lmsId,
          user: row.target.lmsUserId,
        });
        if (row.target.itemId !== undefined) next.set('item', row.target.itemId);
        return await sso
          .idp()
          .signInFromLaunch(request, row.launch, `${learnBasePath}/go?${next.toString()}`);
      });

      router.get(`${learnBasePath}/go`, async (request, { url }) => {
        const user = await sso.idp().currentUser(request);
        const rosterId = user === undefined ? undefined : parseRosterUserId(user.userId);
        if (user === undefined || rosterId === undefined) {
          throw new ServerError('SERVER_UNAUTHORIZED', 'Open the activity from your class to sign in.', {
            status: 401,
          });
        }
        const binding = await bindingOf(rosterId.tenantId, url.searchParams.get('binding') ?? '');
        const person = await sso.stores.roster.findUser(user.userId);
        if (person === undefined || person.email === undefined) {
          throw new ServerError(
            'SERVER_LAUNCH_INVALID',
            'Your roster record has no email; ask your district.',
            {
              status: 409,
            },
          );
        }
        const connector = await learning.connectorFor(rosterId.tenantId);
        const state = randomBytes(16).toString('base64url');
        const itemId = url.searchParams.get('item') ?? undefined;
        const returnUrl = new URL(`${learnBasePath}/return`, origin());
        returnUrl.searchParams.set('binding', binding.id);
        returnUrl.searchParams.set('lms', url.searchParams.get('lms') ?? '');
        returnUrl.searchParams.set('user', url.searchParams.get('user') ?? '');
        const destination = connector.handOff.buildUrl({
          programId: binding.programId,
          courseId: binding.courseId,
          ...(itemId === undefined ? {} : { itemId }),
          learner: {
            externalId: person.sourcedId,
            email: person.email,
            fullName: `${person.givenName} ${person.familyName}`.trim(),
          },
          returnUrl: returnUrl.href,
          state,
        });
        logger.info('learner handed off', {
          tenant: rosterId.tenantId,
          binding: binding.id,
          platform: connector.platform,
        });
        return redirect(destination.href, {
          'set-cookie': `${handOffCookie}=${state}; Path=${learnBasePath}; HttpOnly; SameSite=Lax; Max-Age=3600`,
        });
      });

      router.get(`${learnBasePath}/return`, async (request, { url }) => {
        const user = await sso.idp().currentUser(request);
        const rosterId = user === undefined ? undefined : parseRosterUserId(user.userId);
        const state = /(?:^|;\s*)passport_hand_off=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
        if (user === undefined || rosterId === undefined || state === undefined) {
          throw new ServerError('SERVER_UNAUTHORIZED', 'Open the activity from your class to sign in.', {
            status: 401,
          });
        }
        const binding = await bindingOf(rosterId.tenantId, url.searchParams.get('binding') ?? '');
        const connector = await learning.connectorFor(rosterId.tenantId);
        const returned = await connector.handOff.receiveReturn(url, { state });
        const lmsId = url.searchParams.get('lms') ?? '';
        const lmsUserId = url.searchParams.get('user') ?? '';
        if (lmsId !== binding.lmsId) {
          throw new ServerError('SERVER_LAUNCH_INVALID', 'This return does not belong to your sign-on.', {
            status: 400,
          });
        }
        await gradeSync.recordAccountLink({
          lmsId,
          userId: lmsUserId,
          platform: connector.platform,
          externalId: returned.learnerExternalId,
          at: new Date(),
        });
        await gradeSync.requestSync(binding.id);
        return renderPage({
          title: 'Back from Coursera',
          body: html`<div class="notice good" role="status"><p>Your Coursera account is linked${returned.accountLink === 'created' ? ' (a new account was created)' : ''}. Your grade goes to your class's gradebook.</p></div>
<p>You can close this window.</p>`,
          headers: {
            'set-cookie': `${handOffCookie}=; Path=${learnBasePath}; HttpOnly; SameSite=Lax; Max-Age=0`,
          },
        });
      });
    },
  };
}
