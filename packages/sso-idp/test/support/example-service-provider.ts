import samlify from 'samlify';
import { escapeHtml, htmlPage } from '../../src/http/html.ts';
import { credentials } from './saml.ts';
import { serveLater } from './serve.ts';

/** A SAML service provider (samlify as the SP) with a login link and an assertion consumer service. */
export async function startServiceProvider(options: { idpMetadataUrl: string; hostname?: string }) {
  const server = await serveLater({ hostname: options.hostname ?? 'localhost' });
  const entityId = `${server.origin}/metadata`;
  const acs = `${server.origin}/acs`;
  const sp = samlify.ServiceProvider({
    entityID: entityId,
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    wantMessageSigned: true,
    privateKey: credentials.sp.privateKey,
    signingCert: credentials.sp.certificate,
    requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    nameIDFormat: ['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
    assertionConsumerService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: acs }],
  });
  let idp: ReturnType<typeof samlify.IdentityProvider> | undefined;
  const identityProvider = async () => {
    idp ??= samlify.IdentityProvider({ metadata: await (await fetch(options.idpMetadataUrl)).text() });
    return idp;
  };
  const page = (title: string, body: string) =>
    new Response(htmlPage(title, body), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  server.setHandler(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/login') {
      const { context } = sp.createLoginRequest(await identityProvider(), 'redirect') as { context: string };
      return new Response(null, { status: 303, headers: { location: context } });
    }
    if (url.pathname === '/acs' && request.method === 'POST') {
      const body = Object.fromEntries(new URLSearchParams(await request.text()));
      try {
        const parsed = await sp.parseLoginResponse(await identityProvider(), 'post', { body });
        const attributes = parsed.extract.attributes ?? {};
        return page(
          'Signed in',
          `<h1 id="welcome">Hello, ${escapeHtml(String(attributes.displayName))}</h1><p id="name-id">${escapeHtml(String(parsed.extract.nameID))}</p><p id="role">${escapeHtml(String(attributes.role))}</p>`,
        );
      } catch (error) {
        return page('Refused', `<h1 id="error">${escapeHtml(String(error))}</h1>`);
      }
    }
    return new Response('not found', { status: 404 });
  });
  return { origin: server.origin, entityId, acs, close: server.close };
}
