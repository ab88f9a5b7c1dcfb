// The demo LMS: a small LMS on @passport/lti13's platform side, for demo mode. The host creates it once and mounts
// it under its path, with the server's public URL as a function when the port is known only after listening:
//
//   const lms = createDemoLms({ database, roster, tenantId: 'demo', baseUrl: () => publicUrl, logger });
//   router.mount(lms.path, lms.handle); // `/demo-lms`
//   await lms.seed(); // optional: copy the roster now rather than on the first request
//
// Its tables come from migration 0003_demo_lms and @passport/lti13's own migrations (both run by `migrate()`).
export { createDemoLms, type DemoLms, type DemoLmsOptions, demoLmsKeyRing } from './demo-lms.ts';
export type { SeedResult } from './seed-from-roster.ts';
