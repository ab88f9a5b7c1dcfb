import { createServer } from 'node:http';
import * as lti from '@passport/lti13';

const registry = new lti.MemoryPlatformRegistry(); // in production: PostgresPlatformRegistry ('@passport/lti13/postgres')
const canvas = { issuer: 'https://canvas.instructure.com', clientId: '10000000000001' };
await registry.saveRegistration({
  ...canvas,
  authorizationEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  tokenEndpoint: 'https://sso.canvaslms.com/login/oauth2/token',
  jwksUri: 'https://sso.canvaslms.com/api/lti/security/jwks',
  status: 'active',
});
await registry.saveDeployment({ ...canvas, deploymentId: '1:8865aa05b4b79b64a91a86042e43af5ea8ae79eb' });
const tool = lti.createLtiTool({
  launchUrl: 'https://tool.example.com/lti/launch',
  registry,
  loginStates: new lti.MemoryLoginStateStore(),
  keys: new lti.MemoryKeyStore(),
  onLaunch: (launch) => Response.json({ user: launch.user.id, course: launch.context?.title }),
});
const app = lti.routeByPath({ '/lti/login': tool.login, '/lti/launch': tool.launch, '/lti/jwks': tool.jwks });
export const server = createServer(lti.toNodeListener(app)).listen(process.env.PORT ?? 3000);
