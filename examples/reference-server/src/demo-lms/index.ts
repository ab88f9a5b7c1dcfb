// The demo LMS: a small LMS on @passport/lti13's platform side, for demo mode. The host mounts `handle` under
// `path` (`router.mount(lms.path, lms.handle)`).
export { createDemoLms, type DemoLms, type DemoLmsOptions, demoLmsKeyRing } from './demo-lms.ts';
export { type SeedResult, seedFromRoster } from './seed-from-roster.ts';
