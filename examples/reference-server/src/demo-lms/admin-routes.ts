import { scopes, type ToolRegistration } from '@passport/lti13';
import type { Router } from '../http/router.ts';
import type { LmsContext } from './context.ts';
import { badRequest, httpUrl, notFound, requireAdministrator, signedIn, signedInForm } from './guards.ts';
import { seeOther } from './html.ts';
import { dynamicRegistrationPage, toolsPage } from './pages.ts';

/** The scopes a tool registered by hand may be granted. */
const grantableScopes: readonly string[] = [
  scopes.lineItem,
  scopes.lineItemReadOnly,
  scopes.resultReadOnly,
  scopes.score,
  scopes.membershipReadOnly,
];

/**
 * The administrator's LTI tool pages: the registered tools, LTI Dynamic Registration (the LMS frames the tool's
 * registration URL with `openid_configuration` and a one-time `registration_token`), registration by hand, the
 * activation of tools that registered themselves while pending, and removal.
 */
export function registerAdminRoutes(router: Router, context: LmsContext): void {
  const { base, tools, logger, generateId } = context;

  router.get(
    `${base}/admin/tools`,
    signedIn(context, async (_request, viewer, _params, url) => {
      requireAdministrator(viewer);
      const added = url.searchParams.get('added');
      const removed = url.searchParams.get('removed');
      const notice =
        url.searchParams.get('registered') !== null
          ? 'Registration finished: the tool is listed below.'
          : added !== null
            ? `Tool registered with client ID ${added}.`
            : removed !== null
              ? `Tool ${removed} removed; its activities can no longer be launched.`
              : undefined;
      return toolsPage({
        base,
        viewer,
        tools: await tools.listTools(),
        platform: context.platform().urls,
        notice,
      });
    }),
  );

  router.post(
    `${base}/admin/tools/dynamic-registration`,
    signedInForm(context, async (_request, viewer, _params, form) => {
      requireAdministrator(viewer);
      const registrationUrl = httpUrl(form.get('registration_url'), 'The tool registration URL');
      const startUrl = await context.platform().registrationStartUrl(registrationUrl);
      logger.info('demo LMS dynamic registration started', { tool: new URL(registrationUrl).origin });
      return dynamicRegistrationPage({ base, viewer, startUrl });
    }),
  );

  router.post(
    `${base}/admin/tools/manual`,
    signedInForm(context, async (_request, viewer, _params, form) => {
      requireAdministrator(viewer);
      const name = String(form.get('name') ?? '').trim();
      if (name === '') throw badRequest('The tool needs a name.');
      const targetLinkUri = httpUrl(form.get('target_link_uri'), 'The target link URI');
      const redirectUris = String(form.get('redirect_uris') ?? '')
        .split(/\s+/)
        .filter((uri) => uri !== '')
        .map((uri) => httpUrl(uri, 'Each redirect URI'));
      const deepLinking = String(form.get('deep_linking_url') ?? '').trim();
      const tool: ToolRegistration = {
        clientId: generateId(),
        name,
        loginUrl: httpUrl(form.get('login_url'), 'The login URL'),
        redirectUris: redirectUris.length === 0 ? [targetLinkUri] : [...new Set(redirectUris)],
        targetLinkUri,
        ...(deepLinking === '' ? {} : { deepLinkingUrl: httpUrl(deepLinking, 'The deep linking URL') }),
        jwksUri: httpUrl(form.get('jwks_url'), 'The JWKS URL'),
        scopes: form
          .getAll('scope')
          .map(String)
          .filter((scope) => grantableScopes.includes(scope)),
        deploymentIds: [generateId()],
        status: 'active',
      };
      await context.platform().registerTool(tool);
      logger.info('demo LMS tool registered by hand', { clientId: tool.clientId });
      return seeOther(`${base}/admin/tools?added=${encodeURIComponent(tool.clientId)}`);
    }),
  );

  router.post(
    `${base}/admin/tools/:clientId/activate`,
    signedInForm(context, async (_request, viewer, params) => {
      requireAdministrator(viewer);
      const tool = await tools.getTool(params.clientId as string);
      if (tool === undefined) throw notFound(`No tool has client ID ${params.clientId}.`);
      await context.platform().activateTool(tool.clientId);
      logger.info('demo LMS tool activated', { clientId: tool.clientId });
      return seeOther(`${base}/admin/tools`);
    }),
  );

  router.post(
    `${base}/admin/tools/:clientId/remove`,
    signedInForm(context, async (_request, viewer, params) => {
      requireAdministrator(viewer);
      if (!(await tools.removeTool(params.clientId as string)))
        throw notFound(`No tool has client ID ${params.clientId}.`);
      logger.info('demo LMS tool removed', { clientId: params.clientId });
      return seeOther(`${base}/admin/tools?removed=${encodeURIComponent(params.clientId as string)}`);
    }),
  );
}
