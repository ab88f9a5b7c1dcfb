import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLicenseLedger } from '../src/adapters/memory/memory-license-ledger.ts';
import type { LearningPlatformConnector } from '../src/connector/connector.ts';
import { createLicenseAccounting, type LicenseAccounting } from '../src/connector/license-accounting.ts';
import type { LearnerIdentity } from '../src/connector/types.ts';
import { createCourseraConnector } from '../src/coursera/coursera-connector.ts';
import { alertText, createBrowser, type PageResult } from './support/browser.ts';
import { connectedClient, type Harness, startHarness } from './support/setup.ts';

const RETURN_URL = 'http://127.0.0.1:9/lti/coursera/return';

/** Every page the learner sees is plain accessible HTML: a language, one h1, a label for every visible input. */
function expectAccessible(page: PageResult) {
  expect(page.html).toContain('<html lang="en">');
  expect(page.html.match(/<h1>/g)).toHaveLength(1);
  for (const input of page.html.matchAll(/<input([^>]*)>/g)) {
    if (/type="hidden"/.test(input[1]!)) continue;
    const id = /id="([^"]+)"/.exec(input[1]!)?.[1];
    expect(id, `input without id: ${input[0]}`).toBeDefined();
    expect(page.html).toContain(`<label for="${id}">`);
  }
}

describe('SSO hand-off, learner pages and license accounting (over loopback HTTP)', () => {
  let harness: Harness;
  let connector: LearningPlatformConnector;
  let licenses: LicenseAccounting;
  beforeEach(async () => {
    harness = await startHarness('node-http');
    connector = createCourseraConnector({ client: await connectedClient(harness), clock: harness.clock });
    licenses = createLicenseAccounting({
      connector,
      ledger: createMemoryLicenseLedger(),
      clock: harness.clock,
    });
  });
  afterEach(async () => {
    await harness.stop();
  });

  const program = () => harness.world.organizations[0]!.programs[1]!; // IT Support: 5 seats, no members
  const learner = (n: number): LearnerIdentity => ({
    externalId: `student${n}@school.example`,
    email: `student${n}@school.example`,
    fullName: `Student ${n}`,
  });

  /** Sign on from the LMS and land on the platform's first page. */
  async function signOn(who: LearnerIdentity, target: { courseId?: string; itemId?: string } = {}) {
    const state = `state-${who.externalId}`;
    const signed = await licenses.signOn({
      programId: program().id,
      ...target,
      learner: who,
      returnUrl: RETURN_URL,
      state,
    });
    const browser = createBrowser(harness.url);
    const landing = await browser.open(signed.url);
    return { signed, browser, landing, state };
  }

  it('a first-time learner links an existing account, joins, completes a graded item, and the result flows back', async () => {
    const course = program().contents[0]!;
    const quiz = course.items[1]!;
    const existing = harness.world.accounts[0]!;
    const maria = { externalId: 'maria@school.example', email: existing.email, fullName: existing.fullName };
    const { signed, browser, landing, state } = await signOn(maria, { courseId: course.id, itemId: quiz.id });
    expect(signed.firstSignOn).toBe(true);
    expect(landing.html).toContain('I already have a Coursera account');
    expectAccessible(landing);

    const wrong = await browser.submit(landing, '/sso/link', { password: 'not-it' });
    expect(wrong.status).toBe(401);
    expect(alertText(wrong.html)).toMatch(/do not match/);

    const joinPage = await browser.submit(wrong, '/sso/link', {
      email: existing.email,
      password: existing.password!,
    });
    expect(joinPage.html).toContain(`Join ${program().name}`);
    expectAccessible(joinPage);
    const itemPage = await browser.submit(joinPage, '/sso/join');
    expect(itemPage.url).toMatch(new RegExp(`/learn/${course.slug}/items/${quiz.id}$`));
    expectAccessible(itemPage);

    const invalid = await browser.submit(itemPage, `/learn/${course.slug}/items/${quiz.id}/complete`, {
      score: '11',
    });
    expect(invalid.status).toBe(400);
    expect(alertText(invalid.html)).toMatch(/between 0 and 10/);
    const done = await browser.submit(itemPage, `/learn/${course.slug}/items/${quiz.id}/complete`, {
      score: '9',
    });
    expect(done.html).toContain('completed, 9 of 10 (passed)');

    const back = await browser.open('/sso/return');
    expect(back.leftTo).toMatch(/^http:\/\/127\.0\.0\.1:9\/lti\/coursera\/return\?/);
    const returned = await licenses.completeSignOn(back.leftTo!, { state });
    expect(returned).toMatchObject({
      outcome: 'joined',
      accountLink: 'existing',
      learnerExternalId: maria.externalId,
    });

    const usage = await licenses.usage(program().id);
    expect(usage).toMatchObject({ used: 1, holders: [{ learnerExternalId: maria.externalId }] });

    const results = [];
    for await (const page of connector.results.read({ programId: program().id, level: 'item' }))
      results.push(...page.results);
    expect(results).toEqual([
      expect.objectContaining({
        learnerExternalId: maria.externalId,
        itemId: quiz.id,
        grade: { kind: 'points', points: 9, maximum: 10 },
        passed: true,
      }),
    ]);
  });

  it('a first-time learner gets an account created from roster data; the next sign-on goes straight through', async () => {
    const course = program().contents[1]!;
    const who = learner(1);
    const first = await signOn(who, { courseId: course.id });
    const joinPage = await first.browser.submit(first.landing, '/sso/create');
    const coursePage = await first.browser.submit(joinPage, '/sso/join');
    expect(coursePage.url).toMatch(new RegExp(`/learn/${course.slug}$`));
    expectAccessible(coursePage);
    const back = await first.browser.open('/sso/return');
    expect(await licenses.completeSignOn(back.leftTo!, { state: first.state })).toMatchObject({
      outcome: 'joined',
      accountLink: 'created',
    });

    const again = await signOn(who, { courseId: course.id });
    expect(again.signed.firstSignOn).toBe(false);
    expect(again.landing.url).toMatch(new RegExp(`/learn/${course.slug}$`));
    const backAgain = await again.browser.open('/sso/return');
    expect(await licenses.completeSignOn(backAgain.leftTo!, { state: again.state })).toMatchObject({
      outcome: 'already-member',
      accountLink: 'previously-linked',
    });
    expect((await licenses.usage(program().id)).used).toBe(1);
  });

  it('creating an account with an email that already has one says to link it instead', async () => {
    const existing = harness.world.accounts[1]!;
    const { browser, landing } = await signOn({
      externalId: 'x@school.example',
      email: existing.email,
      fullName: 'X',
    });
    const refused = await browser.submit(landing, '/sso/create');
    expect(refused.status).toBe(409);
    expect(alertText(refused.html)).toMatch(/Link it with its password/);
  });

  it('refuses a tampered or expired hand-off link', async () => {
    const signed = await licenses.signOn({
      programId: program().id,
      learner: learner(2),
      returnUrl: RETURN_URL,
      state: 's',
    });
    const tampered = new URL(signed.url);
    tampered.searchParams.set('externalId', 'someone.else@school.example');
    const browser = createBrowser(harness.url);
    const refused = await browser.open(tampered);
    expect(refused.status).toBe(400);
    expect(alertText(refused.html)).toMatch(/not signed by your school/);
    harness.clock.advance(6 * 60 * 1000);
    const expired = await browser.open(signed.url);
    expect(alertText(expired.html)).toMatch(/expired/);
  });

  it('refuses a tampered return or the wrong state (CONNECTOR_HAND_OFF_INVALID)', async () => {
    const { browser, landing, state } = await signOn(learner(3));
    await browser.submit(await browser.submit(landing, '/sso/create'), '/sso/join');
    const back = new URL((await browser.open('/sso/return')).leftTo!);
    await expect(licenses.completeSignOn(back, { state: 'another' })).rejects.toMatchObject({
      code: 'CONNECTOR_HAND_OFF_INVALID',
    });
    back.searchParams.set('outcome', 'program-full');
    await expect(licenses.completeSignOn(back, { state })).rejects.toMatchObject({
      code: 'CONNECTOR_HAND_OFF_INVALID',
    });
  });

  it('takes a license on first sign-on, refuses a full program clearly, and frees a seat on removal', async () => {
    await licenses.setSeats(program().id, 2);
    for (const n of [1, 2]) {
      const { browser, landing } = await signOn(learner(n));
      await browser.submit(await browser.submit(landing, '/sso/create'), '/sso/join');
    }
    expect(await licenses.usage(program().id)).toMatchObject({ seats: 2, used: 2, free: 0 });

    const full = await licenses
      .signOn({ programId: program().id, learner: learner(3), returnUrl: RETURN_URL, state: 's3' })
      .catch((caught: unknown) => caught);
    expect(full).toMatchObject({ code: 'CONNECTOR_PROGRAM_FULL', status: 409 });
    expect((full as { description: string }).description).toMatch(
      /no free license.*2 of 2.*free a license or add seats/,
    );

    // A teacher removes a test student: Coursera drops the membership and the seat is free again.
    const after = await licenses.remove(program().id, learner(1).externalId);
    expect(after).toMatchObject({
      used: 1,
      free: 1,
      holders: [{ learnerExternalId: learner(2).externalId }],
    });
    const members = [];
    for await (const member of connector.learners.listMembers(program().id)) members.push(member.externalId);
    expect(members).toEqual([learner(2).externalId]);
    await expect(
      licenses.signOn({ programId: program().id, learner: learner(3), returnUrl: RETURN_URL, state: 's3' }),
    ).resolves.toMatchObject({ firstSignOn: true });
  });

  it('when Coursera says the program is full, the learner sees why and the seat Passport took is released', async () => {
    await harness.admin.setSeats(program().id, 0);
    const { browser, landing, state } = await signOn(learner(4));
    expect((await licenses.usage(program().id)).used).toBe(1);
    const fullPage = await browser.submit(await browser.submit(landing, '/sso/create'), '/sso/join');
    expect(fullPage.status).toBe(409);
    expect(alertText(fullPage.html)).toMatch(/All 0 licenses .* are in use/);
    expectAccessible(fullPage);
    const back = await browser.open('/sso/return');
    await expect(licenses.completeSignOn(back.leftTo!, { state })).rejects.toMatchObject({
      code: 'CONNECTOR_PROGRAM_FULL',
    });
    expect((await licenses.usage(program().id)).used).toBe(0);
  });

  it('a removed learner’s enrollments stay in the reports as NOT_MEMBER', async () => {
    const data = harness.world.organizations[0]!.programs[0]!;
    const member = data.members[0]!.externalId;
    await licenses.remove(data.id, member);
    const client = await connectedClient(harness);
    const reports = await client.listEnrollmentReports({ programId: data.id }).all();
    expect(reports.find((report) => report.externalId === member)?.membershipState).toBe('NOT_MEMBER');
  });
});
