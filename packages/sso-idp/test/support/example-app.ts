import { readCookies } from '../../src/http/cookies.ts';
import { escapeHtml, htmlPage } from '../../src/http/html.ts';
import { type AuthorizationRequest, RelyingParty } from './relying-party.ts';
import { serveLater } from './serve.ts';

/**
 * The example app of the README: a learning app that adds "Sign in with Passport" with the authorization code flow
 * and PKCE, done on its server. It keeps the flow (state, nonce, verifier) per browser in memory.
 */
export async function startExampleApp(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  hostname?: string;
}) {
  const server = await serveLater({ hostname: options.hostname ?? 'localhost' });
  const redirectUri = `${server.origin}/callback`;
  const rp = new RelyingParty({
    issuer: options.issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri,
  });
  const flows = new Map<string, AuthorizationRequest>();
  const page = (title: string, body: string, headers: Record<string, string> = {}) =>
    new Response(htmlPage(title, body), {
      headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
    });

  server.setHandler(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/') {
      return page('Quiz Town', '<h1>Quiz Town</h1><a id="sign-in" href="/login">Sign in with Passport</a>');
    }
    if (url.pathname === '/login') {
      await (rp.metadata ?? rp.discover());
      const district = url.searchParams.get('district');
      const flow = rp.authorizationRequest({
        scope: 'openid profile roster',
        ...(district === null ? {} : { extra: { district } }),
      });
      const id = crypto.randomUUID();
      flows.set(id, flow);
      return new Response(null, {
        status: 303,
        headers: { location: flow.url, 'set-cookie': `rp_flow=${id}; Path=/; HttpOnly; SameSite=Lax` },
      });
    }
    if (url.pathname === '/callback') {
      const flow = flows.get(readCookies(request).get('rp_flow') ?? '');
      if (flow === undefined) return page('Error', '<h1 id="error">No sign-in in progress</h1>');
      flows.delete(readCookies(request).get('rp_flow') ?? '');
      const result = rp.callback(url.href, flow.state);
      if (result.code === undefined)
        return page('Not signed in', `<h1 id="error">${escapeHtml(result.error ?? '')}</h1>`);
      const tokens = (await (await rp.exchange(result.code, { verifier: flow.verifier })).json()) as Record<
        string,
        string
      >;
      const claims = await rp.verifyIdToken(tokens.id_token ?? '', flow.nonce);
      return page(
        'Welcome',
        `<h1 id="welcome">Welcome, ${escapeHtml(String(claims.name))}</h1><p id="role">${escapeHtml(String(claims.role))}</p><p id="sub">${escapeHtml(String(claims.sub))}</p>`,
      );
    }
    return new Response('not found', { status: 404 });
  });
  return { origin: server.origin, redirectUri, close: server.close };
}
