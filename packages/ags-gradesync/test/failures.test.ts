import { afterEach, describe, expect, it } from 'vitest';
import { type Integration, startIntegration } from './support/integration.ts';
import { instructorRole, learnerRole } from './support/lti-platform.ts';

let integration: Integration | undefined;
afterEach(async () => {
  await integration?.stop();
  integration = undefined;
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function threeGrades(options: Parameters<typeof startIntegration>[0] = {}) {
  const started = await startIntegration({
    ...options,
    engine: { ...options.engine, delivery: { concurrency: 1, ...options.engine?.delivery } },
  });
  integration = started;
  await started.courseGrade('ada@school.example', 90);
  await started.courseGrade('bob@school.example', 80);
  await started.courseGrade('cy@school.example', 70);
  await started.engine.sync(started.binding.id);
  return started;
}

/** Drains until nothing waits (retries fall due in real time here), at most `rounds` times. */
async function drainUntilEmpty(integration: Integration, rounds = 40) {
  for (let round = 0; round < rounds; round++) {
    const report = await integration.engine.drain(integration.binding.lmsId);
    if (report.nextDueAt === undefined) return;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(10, report.nextDueAt!.getTime() - Date.now() + 5)),
    );
  }
  throw new Error('the outbox did not drain');
}

const delivered = async (integration: Integration) =>
  (await integration.stores.audit.list({ kind: 'score-sent' })).map((entry) => entry.userId).sort();

describe('delivery failures over HTTP against the lti13 platform', () => {
  it('429 with Retry-After: the whole LMS waits that long, then every score goes (no 429 storm)', async () => {
    const { engine, lms, binding, stores } = await threeGrades();
    lms.faults.push({
      on: 'scores',
      times: 1,
      respond: () => json(429, { error: 'rate_limited' }, { 'retry-after': '1' }),
    });
    const started = Date.now();
    const first = await engine.drain(binding.lmsId);
    expect(first).toMatchObject({ delivered: 0, retried: 3, stoppedBy: 'rate-limited' });
    for (const entry of await stores.outbox.list())
      expect(entry.availableAt).toBeGreaterThanOrEqual(started + 1000);
    await drainUntilEmpty(integration!);
    expect(lms.requests.filter((request) => request.startsWith('POST scores'))).toEqual([
      'POST scores 429',
      'POST scores 204',
      'POST scores 204',
      'POST scores 204',
    ]);
    expect(await delivered(integration!)).toEqual(['lms-ada', 'lms-bob', 'lms-cy']);
  });

  it('Canvas-style throttling (403 Rate Limit Exceeded), 5xx and network errors are retried with backoff', async () => {
    const { lms } = await threeGrades();
    lms.platform.throttle(1, 'canvas');
    lms.faults.push({ on: 'scores', times: 2, respond: () => json(503, { error: 'maintenance' }) });
    lms.networkFaults.push({ on: 'scores', times: 1 });
    await drainUntilEmpty(integration!);
    expect(await delivered(integration!)).toEqual(['lms-ada', 'lms-bob', 'lms-cy']);
    const attempts = (await integration!.stores.audit.list({ kind: 'score-sent' })).map(
      (entry) => entry.detail.attempts,
    );
    expect(attempts.reduce((sum: number, value) => sum + Number(value), 0)).toBe(3 + 4);
    expect(lms.requests).toContain('POST scores network-error');
    expect(lms.requests).toContain('POST scores 403');
    expect(await integration!.engine.listDeadLetters()).toEqual([]);
  });

  it('401 even after a fresh access token goes to the dead letters; retried after the fix, it is delivered', async () => {
    const { engine, lms, binding } = await threeGrades();
    lms.faults.push({ on: 'scores', times: 2, respond: () => json(401, { error: 'invalid_token' }) });
    const tokensBefore = lms.requests.filter((request) => request.startsWith('POST token')).length;
    const report = await engine.drain(binding.lmsId);
    expect(report).toMatchObject({ deadLettered: 1, delivered: 2 });
    // The client asked for a new token once before giving up.
    expect(lms.requests.filter((request) => request.startsWith('POST token')).length).toBe(tokensBefore + 1);
    const [letter] = await engine.listDeadLetters();
    expect(letter).toMatchObject({ reason: 'GRADESYNC_LMS_UNAUTHORIZED' });
    expect(letter!.message).toContain('401');
    await engine.retryDeadLetter(letter!.id, { actor: 'admin@district' });
    expect(await engine.drain(binding.lmsId)).toMatchObject({ delivered: 1 });
    expect(await delivered(integration!)).toEqual(['lms-ada', 'lms-bob', 'lms-cy']);
  });

  it('422 (a score for someone who is not a student, as Canvas refuses it) goes to the dead letters', async () => {
    integration = await startIntegration({ quirks: { rejectNonLearnerScores: true } });
    const { engine, lms, binding, stores } = integration;
    lms.memberships.setContext({ id: binding.contextId }, [
      { userId: 'lms-ada', email: 'ada@school.example', roles: [learnerRole] },
      { userId: 'lms-ta', email: 'ta@school.example', roles: [instructorRole] },
    ]);
    // The teaching assistant took the course on Coursera too, and linked the account at sign-on.
    await stores.learnerLinks.recordAccountLink({
      lmsId: binding.lmsId,
      userId: 'lms-ta',
      platform: 'coursera',
      externalId: 'ta@school.example',
      at: new Date(),
    });
    await integration.courseGrade('ada@school.example', 90);
    await integration.courseGrade('ta@school.example', 100);
    await engine.sync(binding.id);
    expect(await engine.drain(binding.lmsId)).toMatchObject({ delivered: 1, deadLettered: 1 });
    const [letter] = await engine.listDeadLetters({ lmsId: binding.lmsId });
    expect(letter).toMatchObject({ reason: 'GRADESYNC_SCORE_REJECTED', entry: { userId: 'lms-ta' } });
    expect(lms.requests).toContain('POST scores 422');
  });

  it('retries are used up on a failing LMS: the circuit opens, then the scores go to the dead letters', async () => {
    const { engine, lms, binding } = await threeGrades({
      engine: { delivery: { maxAttempts: 2, breaker: { failureThreshold: 2, openMs: 100 } } },
    });
    lms.faults.push({ on: 'scores', times: 1000, respond: () => json(502, { error: 'bad gateway' }) });
    const first = await engine.drain(binding.lmsId);
    expect(first.stoppedBy).toBe('circuit-open');
    await drainUntilEmpty(integration!);
    const letters = await engine.listDeadLetters();
    expect(letters.map((letter) => letter.reason)).toEqual([
      'GRADESYNC_RETRIES_EXHAUSTED',
      'GRADESYNC_RETRIES_EXHAUSTED',
      'GRADESYNC_RETRIES_EXHAUSTED',
    ]);
    expect(letters[0]!.message).toContain('GRADESYNC_LMS_UNAVAILABLE after 2 attempts');
  });

  it('Canvas refusing a resend as stale (400 timestamp) counts as delivered, not as a failure', async () => {
    const { engine, lms, binding } = await threeGrades({ quirks: { rejectStaleScores: true } });
    await engine.drain(binding.lmsId);
    await engine.fullResync(binding.id, { actor: 'admin@district', reason: 'check' });
    expect(await engine.drain(binding.lmsId)).toMatchObject({
      lmsHadNewer: 3,
      deadLettered: 0,
      delivered: 0,
    });
    expect(lms.requests.filter((request) => request === 'POST scores 400')).toHaveLength(3);
    expect(lms.gradebook.saved).toHaveLength(3);
  });
});
