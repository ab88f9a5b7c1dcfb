import { decideAccess } from '../apps/check-grant.ts';
import type { SsoContext } from '../context.ts';
import { escapeHtml, htmlResponse } from '../http/html.ts';
import { redirect, withCookies } from '../http/respond.ts';
import type { AppRegistration } from '../ports.ts';

/** Where a tile sends the person: the app's own start URL, or IdP-initiated SAML for SAML-only apps. */
function launchHref(sso: SsoContext, app: AppRegistration): string | undefined {
  if (app.launchUrl !== undefined) return app.launchUrl;
  if (app.saml !== undefined) return `${sso.urls.basePath}/saml/launch/${encodeURIComponent(app.appId)}`;
  return undefined;
}

/**
 * `GET /portal`: the signed-in person's apps as tiles, only those their district granted to them (school, role,
 * class), each launching straight into the app.
 */
export async function portalPage(sso: SsoContext, request: Request): Promise<Response> {
  const active = await sso.sessions.read(request);
  if (active === undefined) {
    const portal = new URL(sso.urls.portal).pathname;
    return redirect(`${new URL(sso.urls.signIn).pathname}?return_to=${encodeURIComponent(portal)}`);
  }
  const user = await sso.roster.findUser(active.session.userId);
  const tiles: string[] = [];
  if (user !== undefined) {
    for (const grant of await sso.apps.listGrants(user.districtId)) {
      if (!decideAccess(user, grant).allowed) continue;
      const app = await sso.apps.getApp(grant.appId);
      if (app === undefined) continue;
      const href = launchHref(sso, app);
      if (href === undefined) continue;
      tiles.push(
        `<li><a class="tile" data-app-id="${escapeHtml(app.appId)}" href="${escapeHtml(href)}"><strong>${escapeHtml(app.name)}</strong>${
          app.description === undefined ? '' : `<br><small>${escapeHtml(app.description)}</small>`
        }</a></li>`,
      );
    }
  }
  const csrf = sso.csrf.issue(request);
  const name = user === undefined ? '' : `${user.givenName} ${user.familyName}`;
  const body = `<main>
<h1>Hello${name === '' ? '' : `, ${escapeHtml(name)}`}</h1>
<ul class="tiles" id="app-tiles">
${tiles.join('\n') || '<li>No apps yet. Your district has not enabled any apps for you.</li>'}
</ul>
<form method="post" action="${escapeHtml(new URL(sso.urls.signOut).pathname)}"><input type="hidden" name="csrf_token" value="${escapeHtml(csrf.token)}"><button class="secondary" type="submit" id="sign-out">Sign out</button></form>
</main>`;
  return withCookies(htmlResponse(200, 'Your apps', body), [active.setCookie, csrf.setCookie]);
}
