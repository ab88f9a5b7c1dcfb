// The LMS of the delivery benchmark, in its own process (its event loop apart from the engine's, as a real LMS's
// is): the @passport/lti13 platform with a latency and a score rate limit. Prints one JSON line with what the
// engine needs to connect; on "report" from stdin, prints the request counts and exits.
//
//   node --conditions=@passport/source bench/lms-process.ts <ratePerSecond> <latencyMs> <learners>
import { createInterface } from 'node:readline';
import { learnerRole, startLtiPlatform } from '../test/support/lti-platform.ts';

const [rate, latency, learners] = process.argv.slice(2).map(Number) as [number, number, number];
const lms = await startLtiPlatform({ latencyMs: latency, scoreRateLimit: { perSecond: rate, burst: 5 } });
lms.memberships.setContext(
  { id: 'course-1' },
  Array.from({ length: learners }, (_, index) => ({
    userId: `lms-${index}`,
    email: `learner${index}@school.example`,
    roles: [learnerRole],
  })),
);
console.log(
  JSON.stringify({
    origin: lms.origin,
    registration: lms.registration,
    toolKeys: JSON.parse(JSON.stringify(await lms.toolKeys.list())),
  }),
);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'report') continue;
  console.log(
    JSON.stringify({
      stored: lms.gradebook.saved.length,
      throttled: lms.requests.filter((request) => request === 'POST scores 429').length,
    }),
  );
  await lms.close();
  process.exit(0);
}
