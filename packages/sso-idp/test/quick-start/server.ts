import { createServer } from 'node:http';
import * as sso from '@passport/sso-idp';

const baseUrl = process.env.PASSPORT_SSO_URL ?? 'http://127.0.0.1:4000/sso';
const stores = sso.createMemoryStores(); // production: createPostgresStores(pool, roster), '@passport/sso-idp/postgres'
// biome-ignore format: one record per line reads best in the README
const secrets = { cookies: [process.env.COOKIE_SECRET ?? 'x'.repeat(32)], pairwise: process.env.PAIRWISE_SECRET ?? 'y'.repeat(32) };
const idp = sso.createSsoIdp({ baseUrl, stores, secrets });

// The roster normally comes from @passport/oneroster; here one student, who signs in with a password.
// biome-ignore format: one record per line reads best in the README
stores.roster.save({ userId: 'u-1', districtId: 'maple', sourcedId: 's-1', givenName: 'Ada', familyName: 'Lovelace', role: 'student', enabled: true, schoolIds: ['north'], grades: ['07'], classIds: [] });
// biome-ignore format: one record per line reads best in the README
await stores.districts.saveDistrict({ districtId: 'maple', name: 'Maple SD', signInMethods: [{ kind: 'password', id: 'password', name: 'Password' }] });
await idp.setPassword({
  districtId: 'maple',
  username: 'ada',
  userId: 'u-1',
  password: 'correct horse battery staple',
});

// A partner's app, and the district enabling it for everyone, with two claims.
// biome-ignore format: one record per line reads best in the README
await idp.registerApp({ appId: 'quiz', partnerId: 'acme', name: 'Quiz Town', oidc: { clientId: 'quiz', redirectUris: ['http://localhost:3000/callback'] } });
await idp.grantApp({ districtId: 'maple', appId: 'quiz', claims: ['name', 'role'] });

const origin = () => new URL(baseUrl).origin;
export const server = createServer(sso.toNodeListener(idp.handle, { origin })).listen(
  Number(process.env.PORT ?? 4000),
);
