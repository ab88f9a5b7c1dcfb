import { X509Certificate } from 'node:crypto';
import { escapeHtml, type Html, html, PassportError, systemClock } from '@passport/core';
import {
  type BadgeUpstream,
  type District,
  type OidcUpstream,
  type RosterMatchAttribute,
  type RosterMatchRule,
  type RosterRole,
  rosterRoles,
  type SamlUpstream,
  type SignInMethod,
} from '@passport/sso-idp';
import { recordAudit } from '../audit/audit-log.ts';
import { ServerError } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { rosterUserId } from '../identity/roster-directory.ts';
import { staffSignInKinds } from '../identity/sso-service.ts';
import { createTenantStore, type Tenant } from '../tenants/tenant-store.ts';
import { redirect, renderPage } from '../web/page.ts';
import type { ConsoleSession } from './console-auth.ts';
import { actorOf, type ConsoleContext } from './console-context.ts';
import type { PageWrapper } from './console-routes.ts';
import { canAdminister, districtNav } from './district-pages.ts';

/*
 * How a district's people sign in (`/console/districts/:tenant/sign-in`), for its district admins and operators:
 * the district's sign-in methods in sso-idp, with forms to add an OpenID Connect provider (Google, Microsoft Entra
 * ID, any issuer) or a SAML identity provider, to turn picture/QR badges on or off and print a class's badge sheet,
 * and to remove a method. A form with a mistake comes back with the mistake named beside its field and nothing
 * saved; the last way in for staff cannot be removed.
 */

type FormName = 'oidc' | 'saml' | 'badges' | 'sheet' | 'remove';
type FormValues = Readonly<Record<string, string | readonly string[]>>;

/** A refused form: which form, which field, why; the page is answered again with it. */
class SignInFormError extends ServerError {
  readonly form: FormName;
  readonly field: string | undefined;
  constructor(
    form: FormName,
    field: string | undefined,
    message: string,
    code:
      | 'SERVER_SIGN_IN_METHOD_INVALID'
      | 'SERVER_SIGN_IN_METHOD_REQUIRED' = 'SERVER_SIGN_IN_METHOD_INVALID',
  ) {
    super(code, message, { status: code === 'SERVER_SIGN_IN_METHOD_REQUIRED' ? 409 : 400 });
    this.form = form;
    this.field = field;
  }
}

interface Problem {
  readonly form: FormName;
  readonly field: string | undefined;
  readonly code: string;
  readonly message: string;
  readonly values: FormValues;
}

const matchAttributes: readonly { value: RosterMatchAttribute; label: string }[] = [
  { value: 'email', label: 'email' },
  { value: 'username', label: 'username' },
  { value: 'sisId', label: 'SIS id (identifier)' },
  { value: 'sourcedId', label: 'sourcedId' },
];

const providers = {
  google: { label: 'Google', name: 'Google', issuer: 'https://accounts.google.com' },
  microsoft: { label: 'Microsoft Entra ID', name: 'Microsoft', issuer: '' },
  other: { label: 'Another OpenID provider', name: '', issuer: '' },
} as const;
type Provider = keyof typeof providers;

const entraIssuer = (directory: string) => `https://login.microsoftonline.com/${directory}/v2.0`;

const kindLabels: Record<SignInMethod['kind'], string> = {
  password: 'Passport password',
  oidc: 'OpenID Connect',
  saml: 'SAML 2.0',
  lms: 'LMS launch',
  badge: 'Picture/QR badge',
};

const single = (values: FormValues, name: string) => {
  const value = values[name];
  return typeof value === 'string' ? value : (value?.[0] ?? '');
};

/** The posted fields, trimmed; the secret is never echoed back. */
function valuesOf(form: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (key === '_csrf' || key === 'clientSecret') continue;
    const all = form.getAll(key).map((value) => (typeof value === 'string' ? value.trim() : ''));
    values[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return values;
}

/** A short id for the method, from its label (`Microsoft` → `microsoft`): it is part of the upstream's addresses. */
function methodIdFor(label: string, fallback: string, taken: readonly SignInMethod[]): string {
  const base =
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || fallback;
  const used = new Set(['password', 'badge', ...taken.map((method) => method.id)]);
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/**
 * An upstream's address: https, or plain http on a loopback host while this server itself runs over plain http
 * (a developer's machine, the tests). No user name, password or fragment.
 */
function checkUpstreamUrl(
  form: FormName,
  field: string,
  label: string,
  value: string,
  serverUrl: URL,
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SignInFormError(
      form,
      field,
      `${label}: ${value === '' ? 'is required' : `${JSON.stringify(value)} is not a URL`}; give an https address such as https://idp.example.org.`,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  const plainAllowed = url.protocol === 'http:' && loopback && serverUrl.protocol === 'http:';
  if (url.protocol !== 'https:' && !plainAllowed) {
    throw new SignInFormError(
      form,
      field,
      `${label}: must be an https address (got ${JSON.stringify(value)}).`,
    );
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new SignInFormError(
      form,
      field,
      `${label}: must not carry a user name, password or #fragment (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

function required(form: FormName, field: string, label: string, value: string, max = 1024): string {
  if (value === '') throw new SignInFormError(form, field, `${label}: is required.`);
  if (value.length > max || /[\s\p{Cc}]/u.test(value)) {
    throw new SignInFormError(
      form,
      field,
      `${label}: must be at most ${max} characters, without spaces or control characters.`,
    );
  }
  return value;
}

/** `email → email, then sub → sisId`. */
const rulesText = (rules: readonly RosterMatchRule[]) =>
  rules.map(
    (rule, index) => html`${index === 0 ? '' : ', then '}<code>${rule.claim}</code> → ${rule.attribute}`,
  );

const claimPattern = /^[A-Za-z0-9_:./#-]{1,200}$/;

/** The claim (or SAML attribute) → roster attribute rules of rows 1 and 2; row 1 is required. */
function matchRules(form: FormName, values: FormValues, what: 'Claim' | 'Attribute'): RosterMatchRule[] {
  const rules: RosterMatchRule[] = [];
  for (const row of [1, 2]) {
    const claim = single(values, `claim${row}`);
    const attribute = single(values, `attribute${row}`);
    if (claim === '' && row === 2) continue;
    if (!claimPattern.test(claim)) {
      throw new SignInFormError(
        form,
        `claim${row}`,
        `${what} ${row}: ${claim === '' ? 'is required' : `${JSON.stringify(claim)} is not a claim name`} (letters, digits and _ : . / # -).`,
      );
    }
    if (!matchAttributes.some((item) => item.value === attribute)) {
      throw new SignInFormError(
        form,
        `attribute${row}`,
        `Roster attribute ${row}: choose email, username, SIS id or sourcedId.`,
      );
    }
    rules.push({ claim, attribute: attribute as RosterMatchAttribute });
  }
  return rules;
}

function emailDomains(values: FormValues): string[] | undefined {
  const text = single(values, 'domains');
  if (text === '') return undefined;
  return text.split(/[\s,]+/).map((entry) => {
    const domain = entry.replace(/^@/, '').toLowerCase();
    if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/.test(domain)) {
      throw new SignInFormError(
        'oidc',
        'domains',
        `Allowed email domains: ${JSON.stringify(entry)} is not a domain name (write district.org or @district.org).`,
      );
    }
    return `@${domain}`;
  });
}

function parseOidc(values: FormValues, taken: readonly SignInMethod[], serverUrl: URL): OidcUpstream {
  const provider = single(values, 'provider') as Provider;
  if (!(provider in providers)) {
    throw new SignInFormError('oidc', 'provider', 'Provider: choose Google, Microsoft Entra ID or another.');
  }
  let issuer: string;
  if (provider === 'google') issuer = providers.google.issuer;
  else if (provider === 'microsoft') {
    // Entra ID's ID tokens name the tenant by its GUID: a domain or `common` in the issuer never matches them.
    const directory = single(values, 'directory').toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(directory)) {
      const multi = ['common', 'organizations', 'consumers'].includes(directory);
      throw new SignInFormError(
        'oidc',
        'directory',
        directory === ''
          ? 'Directory (tenant) ID: is required for Microsoft Entra ID (a GUID, on the app registration’s Overview).'
          : `Directory (tenant) ID: must be your organization's GUID (such as 0a1b2c3d-…), not ${JSON.stringify(directory)}${multi ? ', which signs in any Microsoft account' : ''}.`,
      );
    }
    issuer = entraIssuer(directory);
  } else {
    issuer = checkUpstreamUrl('oidc', 'issuer', 'Issuer URL', single(values, 'issuer'), serverUrl);
    if (new URL(issuer).search !== '') {
      throw new SignInFormError('oidc', 'issuer', 'Issuer URL: must not have a query (?…).');
    }
  }
  const name = single(values, 'name') || providers[provider].name;
  if (name === '' || name.length > 100) {
    throw new SignInFormError('oidc', 'name', 'Button label: is required (at most 100 characters).');
  }
  const clientId = required('oidc', 'clientId', 'Client ID', single(values, 'clientId'), 300);
  const clientSecret = single(values, 'clientSecret');
  if (clientSecret === '' || clientSecret.length > 1000) {
    throw new SignInFormError('oidc', 'clientSecret', 'Client secret: is required.');
  }
  const domains = emailDomains(values);
  return {
    kind: 'oidc',
    id: methodIdFor(name, 'oidc', taken),
    name,
    issuer,
    clientId,
    clientSecret,
    match: matchRules('oidc', values, 'Claim'),
    ...(domains === undefined ? {} : { allowedEmailDomains: domains }),
  };
}

/** The PEM certificates of the textarea, each checked to be an X.509 certificate. */
function certificates(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new SignInFormError(
      'saml',
      'certificate',
      'Signing certificate: paste the certificate in PEM form, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
    );
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block).toString().trim();
    } catch {
      throw new SignInFormError(
        'saml',
        'certificate',
        `Signing certificate: ${blocks.length > 1 ? `certificate ${index + 1}` : 'the text'} is not a valid X.509 certificate.`,
      );
    }
  });
}

function parseSaml(values: FormValues, taken: readonly SignInMethod[], serverUrl: URL): SamlUpstream {
  const name = single(values, 'name');
  if (name === '' || name.length > 100) {
    throw new SignInFormError('saml', 'name', 'Button label: is required (at most 100 characters).');
  }
  const entityId = required('saml', 'entityId', 'Identity provider entity ID', single(values, 'entityId'));
  const ssoUrl = checkUpstreamUrl(
    'saml',
    'ssoUrl',
    'Single sign-on URL',
    single(values, 'ssoUrl'),
    serverUrl,
  );
  const signingCertificates = certificates(single(values, 'certificate'));
  return {
    kind: 'saml',
    id: methodIdFor(name, 'saml', taken),
    name,
    entityId,
    ssoUrl,
    signingCertificates,
    match: matchRules('saml', values, 'Attribute'),
  };
}

/** SAML 2.0 metadata of Passport as the service provider of one upstream, for the district's identity provider. */
function serviceProviderMetadata(entityId: string, acsUrl: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeHtml(entityId)}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeHtml(acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}

export function registerSignInPages(router: Router, context: ConsoleContext, page: PageWrapper): void {
  const { auth, database, roster, sso } = context;
  const tenants = createTenantStore({ db: database.db });

  async function open(request: Request, tenantId: string) {
    const session = await auth.require(request, canAdminister(tenantId));
    const tenant = await tenants.get(tenantId);
    if (tenant === undefined) {
      throw new ServerError('SERVER_TENANT_NOT_FOUND', `No district ${tenantId}.`, { status: 404 });
    }
    // A tenant made by the command line while the server ran is not a district of the SSO yet: make it one.
    let district = await sso.stores.districts.getDistrict(tenant.id);
    if (district === undefined) {
      await sso.syncDistricts();
      district = await sso.stores.districts.getDistrict(tenant.id);
    }
    if (district === undefined) {
      throw new ServerError('SERVER_TENANT_NOT_FOUND', `District ${tenantId} has no sign-in yet.`, {
        status: 404,
      });
    }
    return { session, tenant, district };
  }

  const base = (tenantId: string) => `/console/districts/${tenantId}/sign-in`;

  async function classesOf(tenantId: string) {
    const result = await roster.store.list(tenantId, {
      file: 'classes',
      limit: 1000,
      offset: 0,
      includeDeleted: false,
    });
    return { classes: result.entities, total: result.total };
  }

  async function render(
    request: Request,
    view: { session: ConsoleSession; tenant: Tenant; district: District },
    problem?: Problem,
    status = 200,
  ): Promise<Response> {
    const { session, tenant, district } = view;
    const urls = sso.idp().urls;
    const action = base(tenant.id);
    const csrf = html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;
    const values: FormValues = problem?.values ?? {};
    const at = (form: FormName) => problem !== undefined && problem.form === form;
    const value = (form: FormName, name: string, fallback = '') =>
      at(form) ? single(values, name) : fallback;
    const alert = (form: FormName) =>
      at(form)
        ? html`<div class="notice bad" role="alert" id="${form}-problem"><p>${problem?.message}</p><p class="muted">Code <code>${problem?.code}</code></p></div>`
        : '';
    const invalid = (form: FormName, field: string) =>
      at(form) && problem?.field === field
        ? html` aria-invalid="true" aria-describedby="${form}-problem" autofocus`
        : '';
    const ruleRows = (form: 'oidc' | 'saml', what: string, first: string) =>
      [1, 2].map((row) => {
        const claim = value(form, `claim${row}`, row === 1 ? first : '');
        const attribute = value(form, `attribute${row}`, 'email');
        return html`<div class="inline"><label for="${form}-claim${row}">${what} ${row}${row === 2 ? ' (optional, tried when the first is absent)' : ''}</label>
<input id="${form}-claim${row}" name="claim${row}" value="${claim}"${row === 1 ? html` required` : ''}${invalid(form, `claim${row}`)}>
<label for="${form}-attribute${row}">matches roster attribute ${row}</label>
<select id="${form}-attribute${row}" name="attribute${row}"${invalid(form, `attribute${row}`)}>${matchAttributes.map(
          (item) =>
            html`<option value="${item.value}"${item.value === attribute ? html` selected` : ''}>${item.label}</option>`,
        )}</select></div>`;
      });
    const badge = district.signInMethods.find((method): method is BadgeUpstream => method.kind === 'badge');
    const badgeRoles =
      at('badges') && problem !== undefined ? [values.role ?? []].flat() : (badge?.roles ?? ['student']);
    const { classes, total: classCount } =
      badge === undefined ? { classes: [], total: 0 } : await classesOf(tenant.id);
    const chosenClass = value('sheet', 'classId');
    const placeholder = (url: string) => html`<code>${url.replace('%7Bid%7D', '{id}')}</code>`;
    const provider = value('oidc', 'provider', 'google');

    const rows = district.signInMethods.map((method) => {
      const details: Html[] = [];
      const give: Html[] = [];
      if (method.kind === 'oidc') {
        details.push(
          html`Issuer <code>${method.issuer}</code>`,
          html`client ID <code>${method.clientId}</code>`,
        );
        details.push(html`matches ${rulesText(method.match)}`);
        if (method.allowedEmailDomains !== undefined)
          details.push(html`emails ending ${method.allowedEmailDomains.join(', ')}`);
        give.push(html`Redirect URI <code>${urls.upstreamCallback(tenant.id, method.id)}</code>`);
      } else if (method.kind === 'saml') {
        const expiries = method.signingCertificates.map((pem) => {
          try {
            return new X509Certificate(pem).validTo;
          } catch {
            return 'unreadable';
          }
        });
        details.push(
          html`IdP <code>${method.entityId}</code>`,
          html`SSO URL <code>${method.ssoUrl}</code>`,
          html`certificate valid until ${expiries.join(', ')}`,
          html`matches ${rulesText(method.match)}`,
        );
        give.push(
          html`Entity ID <code>${urls.upstreamSamlEntity(tenant.id, method.id)}</code>`,
          html`ACS URL (HTTP-POST) <code>${urls.upstreamCallback(tenant.id, method.id)}</code>`,
          html`<a href="${action}/saml/${method.id}/metadata">SP metadata (XML)</a>`,
        );
      } else if (method.kind === 'badge') {
        details.push(html`for ${(method.roles ?? ['student']).join(', ')}`);
      } else if (method.kind === 'lms') {
        details.push(html`LMS <code>${method.issuer}</code>`);
      } else {
        details.push(html`usernames and passwords kept by Passport; district admins sign in with it`);
      }
      const remove =
        method.kind === 'lms'
          ? html`<span class="muted">Added by the LMS's launches; students sign in through it.</span>`
          : html`<form method="post" action="${action}/remove" class="inline">${csrf}<input type="hidden" name="method" value="${method.id}">
<button type="submit" class="danger" aria-label="Remove ${method.name}">Remove</button></form>`;
      return html`<tr><td>${method.name}<br><code class="muted">${method.id}</code></td><td>${kindLabels[method.kind]}</td>
<td>${details.map((item, index) => html`${index === 0 ? '' : html`<br>`}${item}`)}</td>
<td>${give.map((item, index) => html`${index === 0 ? '' : html`<br>`}${item}`)}</td><td>${remove}</td></tr>`;
    });

    return renderPage({
      title: `${tenant.name}: sign-in`,
      who: session.who,
      nav: districtNav(session, tenant.id),
      path: new URL(request.url).pathname,
      status,
      body: html`<p>How your district's people sign in to Passport and, through it, to their apps. The
<a href="/sso/signin?district=${tenant.id}">sign-in page</a> shows a button for each method (an LMS method is used
from inside the LMS). People are found in your roster by the attribute each method matches; nobody is created.</p>
${alert('remove')}
<h2>Sign-in methods</h2>
<div class="table"><table><thead><tr><th scope="col">Method</th><th scope="col">Kind</th><th scope="col">Settings</th><th scope="col">Give the provider</th><th scope="col"></th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p class="muted">Staff need a way in: the Passport password cannot be removed while it is the only password,
OpenID Connect or SAML method, nor while the district has console admins (they sign in with their Passport
password).</p>

<h2 id="add-oidc">Add Google, Microsoft Entra ID or another OpenID provider</h2>
<p>Register Passport as a web application at the provider first, with this redirect URI: ${placeholder(urls.upstreamCallback(tenant.id, '{id}'))}, where
<code>{id}</code> is the button label in lowercase with dashes (<code>google</code> for “Google”,
<code>microsoft</code> for “Microsoft”). The table above shows each method's exact address once added.</p>
${alert('oidc')}
<form class="stack" method="post" action="${action}/oidc">${csrf}
<fieldset><legend>Provider</legend>
${(Object.keys(providers) as Provider[]).map(
  (key) =>
    html`<label><span><input type="radio" name="provider" value="${key}"${key === provider ? html` checked` : ''}${invalid('oidc', 'provider')}> ${providers[key].label}${key === 'google' ? html` (issuer <code>${providers.google.issuer}</code>)` : key === 'microsoft' ? html` (issuer <code>${entraIssuer('{directory}')}</code>)` : ''}</span></label>`,
)}
<label>Directory (tenant) ID, for Microsoft Entra ID (a GUID) <input name="directory" value="${value('oidc', 'directory')}" autocomplete="off"${invalid('oidc', 'directory')}></label>
<label>Issuer URL, for another provider <input name="issuer" type="url" value="${value('oidc', 'issuer')}" placeholder="https://idp.example.org"${invalid('oidc', 'issuer')}></label>
</fieldset>
<label>Button label (blank: Google or Microsoft) <input name="name" maxlength="100" value="${value('oidc', 'name')}"${invalid('oidc', 'name')}></label>
<label>Client ID <input name="clientId" required autocomplete="off" value="${value('oidc', 'clientId')}"${invalid('oidc', 'clientId')}></label>
<label>Client secret <input name="clientSecret" type="password" required autocomplete="off"${invalid('oidc', 'clientSecret')}></label>
<label>Allowed email domains (blank: any; e.g. district.org, students.district.org) <input name="domains" value="${value('oidc', 'domains')}"${invalid('oidc', 'domains')}></label>
<fieldset><legend>Match people by</legend>${ruleRows('oidc', 'Claim', 'email')}</fieldset>
<button type="submit">Add OpenID provider</button>
</form>

<h2 id="add-saml">Add a SAML identity provider</h2>
<p>Give your identity provider (ADFS, Shibboleth, Entra ID in SAML mode) Passport's service provider details:
entity ID ${placeholder(urls.upstreamSamlEntity(tenant.id, '{id}'))} and assertion
consumer service (HTTP-POST) ${placeholder(urls.upstreamCallback(tenant.id, '{id}'))}, where <code>{id}</code> is the button label in lowercase with
dashes; once added, the table links the metadata file. Assertions must be signed.</p>
${alert('saml')}
<form class="stack" method="post" action="${action}/saml">${csrf}
<label>Button label <input name="name" required maxlength="100" value="${value('saml', 'name')}"${invalid('saml', 'name')}></label>
<label>Identity provider entity ID <input name="entityId" required value="${value('saml', 'entityId')}"${invalid('saml', 'entityId')}></label>
<label>Single sign-on URL (HTTP-Redirect) <input name="ssoUrl" type="url" required value="${value('saml', 'ssoUrl')}"${invalid('saml', 'ssoUrl')}></label>
<label>Signing certificate (PEM) <textarea name="certificate" rows="6" required${invalid('saml', 'certificate')}>${value('saml', 'certificate')}</textarea></label>
<fieldset><legend>Match people by (<code>nameid</code> is the NameID)</legend>${ruleRows('saml', 'Attribute', 'nameid')}</fieldset>
<button type="submit">Add SAML provider</button>
</form>

<h2 id="badges">Picture and QR badges</h2>
<p>For children who cannot type a password yet: a printed badge with their picture and a QR code signs in one
child when shown to the device's camera. A badge is weaker than a password; keep it for young students.
Badges are <strong>${badge === undefined ? 'off' : 'on'}</strong>.</p>
${alert('badges')}
<form class="stack" method="post" action="${action}/badges">${csrf}
<fieldset${invalid('badges', 'role')}><legend>Roles that may hold a badge</legend>${rosterRoles.map(
        (role) =>
          html`<label><span><input type="checkbox" name="role" value="${role}"${badgeRoles.includes(role) ? html` checked` : ''}> ${role}</span></label>`,
      )}</fieldset>
<div class="inline"><button type="submit" name="action" value="on">${badge === undefined ? 'Turn badges on' : 'Save roles'}</button>
${badge === undefined ? '' : html`<button type="submit" name="action" value="off" class="danger">Turn badges off</button>`}</div>
</form>
${
  badge === undefined
    ? ''
    : html`<h3>Print a class's badge sheet</h3>
<p class="muted">Printing issues a new badge for every student of the class who may hold one; badges printed before
for them stop working.</p>
${alert('sheet')}
<form class="stack" method="post" action="${action}/badge-sheet">${csrf}
${
  classCount > classes.length
    ? html`<label>Class (sourcedId) <input name="classId" required value="${chosenClass}"${invalid('sheet', 'classId')}></label>`
    : html`<label for="sheet-class">Class</label><select id="sheet-class" name="classId" required${invalid('sheet', 'classId')}>${classes.map(
        (item) =>
          html`<option value="${item.sourcedId}"${item.sourcedId === chosenClass ? html` selected` : ''}>${String(item.title ?? item.sourcedId)}${item.classCode === undefined ? '' : ` (${String(item.classCode)})`}</option>`,
      )}</select>`
}
<button type="submit">Print badge sheet</button>
</form>`
}`,
    });
  }

  /** Runs a form's change; a `SignInFormError` answers the page again with the problem, nothing saved. */
  function formRoute(
    form: FormName,
    change: (
      view: { session: ConsoleSession; tenant: Tenant; district: District },
      values: FormValues,
      request: Request,
    ) => Promise<Response | undefined>,
  ) {
    return page(async (request, { params }: { params: Record<string, string> }) => {
      let view = await open(request, params.tenant ?? '');
      const posted = await auth.verifyForm(request, view.session);
      const values = valuesOf(posted);
      if (posted.has('clientSecret')) values.clientSecret = String(posted.get('clientSecret') ?? '').trim();
      try {
        // The change is saved over the district as read. When another admin's save came in between, it is made
        // again on the district as it is now, its checks included (two removals cannot both take the last way in).
        for (let attempt = 1; ; attempt++) {
          try {
            const answer = await change(view, values, request);
            return answer ?? redirect(base(view.tenant.id));
          } catch (error) {
            if (!(PassportError.is(error) && error.code === 'SSO_DISTRICT_CHANGED') || attempt >= 5)
              throw error;
            view = await open(request, view.tenant.id);
          }
        }
      } catch (error) {
        const { clientSecret: _secret, ...shown } = values;
        if (error instanceof SignInFormError) {
          const problem = { form: error.form, field: error.field, code: error.code, message: error.message };
          return render(request, view, { ...problem, values: shown }, error.status);
        }
        // The badge sheet's own refusals (a student who may not hold a badge) come from sso-idp.
        if (form === 'sheet' && PassportError.is(error) && error.status < 500) {
          const problem = { form, field: 'classId', code: error.code, message: error.description };
          return render(request, view, { ...problem, values: shown }, error.status);
        }
        throw error;
      }
    });
  }

  /** Saves the district's methods and records who changed what in the audit log. */
  async function save(
    session: ConsoleSession,
    district: District,
    signInMethods: SignInMethod[],
    action: string,
    detail: Record<string, unknown>,
  ) {
    await sso.stores.districts.saveDistrict({ ...district, signInMethods });
    await audit(session, district.districtId, action, detail);
  }
  const audit = (
    session: ConsoleSession,
    tenantId: string,
    action: string,
    detail: Record<string, unknown>,
  ) => recordAudit(database.db, { tenantId, actor: actorOf(session.account), action, detail }, systemClock);
  /** What the audit log keeps of a method: never its secret. */
  const describe = (method: OidcUpstream | SamlUpstream) =>
    method.kind === 'oidc'
      ? { methodId: method.id, kind: method.kind, issuer: method.issuer, clientId: method.clientId }
      : { methodId: method.id, kind: method.kind, entityId: method.entityId, ssoUrl: method.ssoUrl };

  router.get(
    '/console/districts/:tenant/sign-in',
    page(async (request, { params }) => render(request, await open(request, params.tenant ?? ''))),
  );

  // An OpenID or SAML provider is added the same way: parse the form against the district's methods, append, save.
  for (const [kind, parse] of [
    ['oidc', parseOidc],
    ['saml', parseSaml],
  ] as const) {
    router.post(
      `/console/districts/:tenant/sign-in/${kind}`,
      formRoute(kind, async ({ session, district }, values, request) => {
        const method = parse(values, district.signInMethods, new URL(request.url));
        await save(
          session,
          district,
          [...district.signInMethods, method],
          'signin.method-added',
          describe(method),
        );
        return undefined;
      }),
    );
  }

  router.post(
    '/console/districts/:tenant/sign-in/badges',
    formRoute('badges', async ({ session, district }, values) => {
      const others = district.signInMethods.filter((method) => method.kind !== 'badge');
      const choice = single(values, 'action');
      if (choice === 'off') {
        await save(session, district, others, 'signin.badges-off', {});
        return undefined;
      }
      if (choice !== 'on') throw new SignInFormError('badges', undefined, 'Choose to turn badges on or off.');
      const roles = [values.role ?? []].flat();
      const unknown = roles.find((role) => !rosterRoles.includes(role as RosterRole));
      if (roles.length === 0 || unknown !== undefined) {
        throw new SignInFormError(
          'badges',
          'role',
          unknown === undefined
            ? 'Roles that may hold a badge: choose at least one.'
            : `Roles that may hold a badge: ${JSON.stringify(unknown)} is not a roster role.`,
        );
      }
      const badge: BadgeUpstream = {
        kind: 'badge',
        id: 'badge',
        name: 'Picture or QR badge',
        roles: roles as RosterRole[],
      };
      const at = district.signInMethods.findIndex((method) => method.kind === 'badge');
      await save(
        session,
        district,
        at === -1
          ? [...others, badge]
          : district.signInMethods.map((method, index) => (index === at ? badge : method)),
        'signin.badges-on',
        { roles },
      );
      return undefined;
    }),
  );

  router.post(
    '/console/districts/:tenant/sign-in/remove',
    formRoute('remove', async ({ session, district }, values) => {
      const id = single(values, 'method');
      const method = district.signInMethods.find((candidate) => candidate.id === id);
      if (method === undefined) {
        throw new SignInFormError(
          'remove',
          'method',
          `Method: this district has no sign-in method ${JSON.stringify(id)}.`,
        );
      }
      const refuse = (message: string) =>
        new SignInFormError('remove', 'method', message, 'SERVER_SIGN_IN_METHOD_REQUIRED');
      if (method.kind === 'lms') {
        throw refuse(
          `${method.name} cannot be removed here: it comes from the district's LMS, whose launches sign students in through it.`,
        );
      }
      const rest = district.signInMethods.filter((candidate) => candidate.id !== id);
      if (
        staffSignInKinds.has(method.kind) &&
        !rest.some((candidate) => staffSignInKinds.has(candidate.kind))
      ) {
        throw refuse(
          `${method.name} cannot be removed: it is the district's last way in for staff (teachers and admins). Add an OpenID Connect or SAML provider first.`,
        );
      }
      if (method.kind === 'password' && !rest.some((candidate) => candidate.kind === 'password')) {
        const admins = await context.accounts.list({ tenantId: district.districtId });
        if (admins.length > 0) {
          throw refuse(
            `${method.name} cannot be removed: the district's ${admins.length} console admin${admins.length === 1 ? '' : 's'} sign in with a Passport password (an OpenID Connect or SAML provider signs in roster people, not console accounts).`,
          );
        }
      }
      await save(session, district, rest, 'signin.method-removed', {
        methodId: method.id,
        kind: method.kind,
      });
      return undefined;
    }),
  );

  router.post(
    '/console/districts/:tenant/sign-in/badge-sheet',
    formRoute('sheet', async ({ session, tenant, district }, values) => {
      const badge = district.signInMethods.find((method): method is BadgeUpstream => method.kind === 'badge');
      if (badge === undefined) {
        throw new SignInFormError(
          'badges',
          undefined,
          'Badges are off: turn them on before printing a sheet.',
        );
      }
      const classId = single(values, 'classId');
      const item = classId === '' ? undefined : await roster.store.get(tenant.id, 'classes', classId);
      if (item === undefined) {
        throw new SignInFormError(
          'sheet',
          'classId',
          `Class: ${classId === '' ? 'choose a class' : `this district has no class ${JSON.stringify(classId)}`}.`,
        );
      }
      const roles = badge.roles ?? ['student'];
      const members = await roster.store.list(tenant.id, {
        file: 'users',
        membership: { type: 'usersInClass', classSourcedId: classId },
        limit: 1000,
        offset: 0,
        includeDeleted: false,
      });
      const holders = members.entities.filter(
        (user) =>
          roles.includes(String(user.role) as RosterRole) &&
          user.enabledUser !== false &&
          user.enabledUser !== 'false',
      );
      if (holders.length === 0) {
        throw new SignInFormError(
          'sheet',
          'classId',
          `Class: ${String(item.title ?? classId)} has nobody who may hold a badge (${roles.join(', ')}).`,
        );
      }
      const sheet = await sso.idp().badgeSheet({
        districtId: tenant.id,
        title: String(item.title ?? classId),
        userIds: holders.map((user) => rosterUserId(tenant.id, user.sourcedId)),
        classId,
        issuedBy: actorOf(session.account),
      });
      await audit(session, tenant.id, 'signin.badge-sheet-printed', { classId, badges: holders.length });
      return sheet;
    }),
  );

  router.get(
    '/console/districts/:tenant/sign-in/saml/:method/metadata',
    page(async (request, { params }) => {
      const { tenant, district } = await open(request, params.tenant ?? '');
      const method = district.signInMethods.find(
        (candidate) => candidate.kind === 'saml' && candidate.id === params.method,
      );
      if (method === undefined) {
        throw new ServerError('SERVER_ROUTE_NOT_FOUND', 'No such SAML method in this district.', {
          status: 404,
        });
      }
      const urls = sso.idp().urls;
      return new Response(
        serviceProviderMetadata(
          urls.upstreamSamlEntity(tenant.id, method.id),
          urls.upstreamCallback(tenant.id, method.id),
        ),
        {
          headers: {
            'content-type': 'application/samlmetadata+xml; charset=utf-8',
            'content-disposition': `attachment; filename="passport-${tenant.id}-${method.id}-metadata.xml"`,
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
        },
      );
    }),
  );
}
