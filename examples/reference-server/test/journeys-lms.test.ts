import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../src/demo/demo-accounts.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { chromiumArgs, chromiumPath, screenshot } from './support/browser.ts';
import { testConfig } from './support/config.ts';
import { seedMigratedDatabase } from './support/pglite-template.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * Journeys 2, 3 and 4 in headless Chromium with third-party cookies blocked, on the reference server in demo mode:
 * the demo LMS is reached as `localhost` and Passport as `127.0.0.1` (two sites), so Passport inside the LMS's
 * frames is third-party, as in production.
 * 2. The LMS registers Passport by dynamic registration; an operator activates it; a teacher deep-links Coursera
 *    items (option A), a course (option B) and a final-grade course.
 * 3. A student launches an item framed in the course page, continues to Coursera in a window of its own, links a
 *    Coursera account on first sign-on, completes the item, and the grade appears in the LMS gradebook; a second
 *    sync sends nothing new.
 * 4. Without SSO: a student who never launched gets their grade too (matched through the course roster).
 */
const journey2 = 'journey-2-lms-deep-linking';
const journey3 = 'journey-3-student-first-sign-on';
const journey4 = 'journey-4-grades-without-sso';
let server: RunningServer;
let browser: BrowserContext;
let folder: { path: string; remove: () => Promise<void> };
let lmsUrl: string;
/** The titles of the items deep-linked with option A (journey 2), launched in journey 3. */
const optionAItems: string[] = [];
let course: {
  id: string;
  title: string;
  teacher: string;
  student: string;
  otherStudent: { id: string; email: string; name: string };
};

async function api(path: string): Promise<Record<string, unknown>> {
  const credentials = server.demo?.credentials;
  if (credentials === undefined) throw new Error('no demo credentials');
  const token = (await (
    await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
  ).json()) as { access_token: string };
  const response = await fetch(`${server.url}/ims/oneroster/v1p1${path}`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function account(role: DemoAccount['role']): DemoAccount {
  const found = server.demo?.accounts?.find((item) => item.role === role);
  if (found === undefined) throw new Error(`no demo ${role}`);
  return found;
}

type User = { sourcedId: string; givenName: string; familyName: string; email: string; username: string };
const nameOf = (user: User) => `${user.givenName} ${user.familyName}`;

beforeAll(async () => {
  folder = await makeTempDir('passport-lms-journeys-');
  await seedMigratedDatabase(join(folder.path, 'data'));
  server = await startServer({
    config: testConfig({ dataDir: join(folder.path, 'data'), demo: true }),
    logger: createLogger({ level: 'silent' }),
    demoLmsHost: 'localhost',
  });
  lmsUrl = server.demoLms?.url() ?? '';
  expect(new URL(lmsUrl).hostname).toBe('localhost');

  // The demo teacher's class (the one the demo student is in), and another student of it.
  const teacher = account('teacher');
  const {
    users: [teacherUser],
  } = (await api(`/teachers?filter=${encodeURIComponent(`username='${teacher.username}'`)}`)) as {
    users: User[];
  };
  if (teacherUser === undefined) throw new Error('demo teacher not in the roster');
  const { classes } = (await api(`/teachers/${teacherUser.sourcedId}/classes`)) as {
    classes: { sourcedId: string; title: string }[];
  };
  const student = account('student');
  for (const item of classes) {
    const { users } = (await api(`/classes/${item.sourcedId}/students?limit=100`)) as { users: User[] };
    const demoStudent = users.find((user) => user.username.toLowerCase() === student.username);
    const other = users.find((user) => user !== demoStudent && user.email !== '');
    if (demoStudent !== undefined && other !== undefined) {
      course = {
        id: item.sourcedId,
        title: item.title,
        teacher: nameOf(teacherUser),
        student: nameOf(demoStudent),
        otherStudent: { id: other.sourcedId, email: other.email, name: nameOf(other) },
      };
      break;
    }
  }
  expect(course).toBeDefined();

  const profile = join(folder.path, 'chromium');
  mkdirSync(join(profile, 'Default'), { recursive: true });
  writeFileSync(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: 1, block_third_party_cookies: true } }),
  );
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await folder?.remove();
});

/** Reloads the gradebook and reads the scores shown in one student's row. */
async function scoresAfterReload(page: Page, row: ReturnType<Page['getByRole']>): Promise<string> {
  await page.reload();
  return (await row.locator('td strong').allTextContents()).join(' | ');
}

/** Signs in to the demo LMS through its picker: the course, then the person (or the LMS administrator). */
async function lmsSignIn(page: Page, name: string): Promise<void> {
  await browser.clearCookies();
  await page.goto(`${lmsUrl}/sign-in`);
  if (name === 'administrator') {
    await page
      .getByRole('button', { name: /administrator/i })
      .first()
      .click();
  } else {
    await page.getByLabel('Course', { exact: true }).selectOption(course.id);
    await page.getByRole('button', { name: 'Show people' }).click();
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  }
  await page.getByRole('heading', { level: 1 }).waitFor();
}

async function passportSignIn(page: Page, who: DemoAccount, returnTo: string): Promise<void> {
  await page.goto(
    `${server.url}/sso/signin?district=${who.district}&return_to=${encodeURIComponent(returnTo)}`,
  );
  await page.getByLabel(/username/i).fill(who.username);
  await page.getByLabel(/password/i).fill(who.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((url) => url.pathname === returnTo);
}

/** Adds activities through Passport's picker: the demo program's `courseIndex`-th course, the choice, `items` items. */
async function deepLink(page: Page, choice: RegExp, items: number, courseIndex: number): Promise<void> {
  await page.getByRole('link', { name: 'Add activity from Passport' }).click();
  const picker = page.frameLocator('#deep-linking-frame');
  await picker
    .getByRole('heading', { name: 'Choose a program' })
    .waitFor({ timeout: 90_000 })
    .catch(async (error: unknown) => {
      await screenshot(page, journey2, `failed-picker-${choice.source.replace(/\W/g, '')}`);
      throw error;
    });
  await picker.locator('ul.pick a').first().click();
  await picker.getByRole('heading', { name: 'Choose a course' }).waitFor();
  await picker.locator('ul.pick a').nth(courseIndex).click();
  await picker.getByLabel(choice).check();
  const boxes = picker.getByRole('checkbox');
  for (let index = 0; index < items; index += 1) {
    await boxes.nth(index).check();
    optionAItems.push((await picker.locator('label[for^="item-"]').nth(index).textContent()) ?? '');
  }
  await picker.getByRole('button', { name: 'Add to course' }).click();
  await page.getByRole('status').filter({ hasText: /added/ }).waitFor({ timeout: 30_000 });
}

describe('the LMS journeys', () => {
  it('journey 2: dynamic registration, activation, and a teacher deep-linking option A, option B and a final grade', {
    timeout: 240_000,
  }, async () => {
    const page = await browser.newPage();
    await lmsSignIn(page, 'administrator');
    await page.goto(`${lmsUrl}/admin/tools`);
    await page.getByLabel('Tool registration URL').fill(`${server.url}/lti/register`);
    await page.getByRole('button', { name: 'Start registration' }).click();
    await page.getByText('Registration finished').waitFor({ timeout: 60_000 });
    await screenshot(page, journey2, '01-lms-registered-passport');

    // Passport keeps the self-registered LMS pending until an operator activates it.
    const operator = await browser.newPage();
    await passportSignIn(operator, account('operator'), '/console/lms');
    const row = operator.getByRole('row').filter({ hasText: 'pending' });
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: 'Activate' }).click();
    expect(await operator.getByRole('row').filter({ hasText: 'active' }).count()).toBe(1);
    await screenshot(operator, journey2, '02-operator-activated');
    await operator.close();

    await lmsSignIn(page, course.teacher);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(course.title);
    await deepLink(page, /^Option A/, 2, 0);
    await screenshot(page, journey2, '03-option-a-added');
    await deepLink(page, /^Option B/, 0, 1);
    await deepLink(page, /^Final grade/, 0, 2);
    await page.goto(`${lmsUrl}/courses/${encodeURIComponent(course.id)}`);
    expect(await page.getByRole('link', { name: 'Open here' }).count()).toBe(4);
    await page.getByRole('link', { name: 'Gradebook' }).click();
    const headers = await page.getByRole('columnheader').allTextContents();
    expect(headers.length).toBeGreaterThanOrEqual(1 + 2 + 1);
    expect(headers.some((header) => /final grade/i.test(header))).toBe(true);
    await screenshot(page, journey2, '04-gradebook-columns');

    // The launches made the LMS an instance of the demo district (the only one with Coursera), shown to operators.
    const operatorAgain = await browser.newPage();
    await passportSignIn(operatorAgain, account('operator'), '/console/lms');
    const district = operatorAgain.getByLabel('District', { exact: true });
    expect(await district.count()).toBe(1);
    expect(await district.inputValue()).toBe('demo');
    await operatorAgain.close();
    await page.close();
  });

  it('journey 3: a student links Coursera on first sign-on from a framed launch, and the grade lands in the gradebook', {
    timeout: 240_000,
  }, async () => {
    // The district admin chooses option A for this LMS (the grade sync mode is per LMS instance).
    const admin = await browser.newPage();
    await passportSignIn(admin, account('district admin'), '/console/gradesync/demo');
    await admin.getByLabel('Mode').selectOption('granular-linked');
    await admin.getByRole('button', { name: 'Change' }).click();
    await admin.getByRole('heading', { level: 1 }).waitFor();
    expect(
      await server.gradeSync.modeOf(
        (await server.gradeSync.overview({ tenantId: 'demo', runs: 0 })).lmsInstances[0]?.lmsId ?? '',
      ),
    ).toBe('granular-linked');
    await screenshot(admin, journey3, '00-district-chooses-option-a');
    await admin.close();

    const page = await browser.newPage();
    await lmsSignIn(page, course.student);
    const title = optionAItems[0] ?? '';
    await page
      .getByRole('listitem')
      .filter({ has: page.getByText(title, { exact: true }) })
      .getByRole('link', { name: 'Open here' })
      .click();
    const frame = page.frameLocator('#activity-frame');
    const open = frame.getByRole('link', { name: 'Open on Coursera' });
    // Framed, the tool keeps its login state in the LMS page (platform storage); allow for a slow handshake.
    await open.waitFor({ timeout: 90_000 }).catch(async (error: unknown) => {
      await screenshot(page, journey3, 'failed-framed-launch');
      throw error;
    });
    await screenshot(page, journey3, '01-framed-launch');
    const [coursera] = await Promise.all([browser.waitForEvent('page'), open.click()]);
    await coursera.getByRole('heading', { name: 'I am new to Coursera' }).waitFor({ timeout: 30_000 });
    await screenshot(coursera, journey3, '02-link-account');
    await coursera.getByRole('button', { name: 'Create my account' }).click();
    const join = coursera.getByRole('button', { name: 'Join the program' });
    if (await join.isVisible().catch(() => false)) await join.click();
    await coursera.getByLabel(/Your score/).fill('8');
    await coursera.getByRole('button', { name: 'Mark complete' }).click();
    await coursera.getByRole('link', { name: 'Return to your class' }).click();
    await coursera.getByText('Your Coursera account is linked').waitFor({ timeout: 30_000 });
    await screenshot(coursera, journey3, '03-back-from-coursera');
    await coursera.close();

    // The teacher's gradebook shows the score once the sync the return asked for has run.
    const teacher = await browser.newPage();
    await lmsSignIn(teacher, course.teacher);
    await teacher.getByRole('link', { name: 'Gradebook' }).click();
    const row = teacher.getByRole('row', { name: new RegExp(course.student) });
    const diagnosis = async () =>
      JSON.stringify((await server.gradeSync.overview({ tenantId: 'demo', runs: 5 })).runs).slice(0, 1500);
    await expect
      .poll(() => scoresAfterReload(teacher, row), {
        timeout: 60_000,
        interval: 2_000,
      })
      .toMatch(/(^| )8 \/ 10( |$)/)
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}\nrow: ${await row.innerHTML()}\nruns: ${await diagnosis()}`);
      });
    await screenshot(teacher, journey3, '04-gradebook-score');

    // A second sync has nothing new to send.
    const { bindings } = await server.gradeSync.overview({ tenantId: 'demo', runs: 0 });
    for (const entry of bindings) {
      const run = await server.gradeSync.sync(entry.binding.id);
      expect(run.statistics.queued, entry.binding.id).toBe(0);
    }
    await teacher.close();
    await page.close();
  });

  it('journey 4: a student who never launched gets their grade through the course roster', {
    timeout: 240_000,
  }, async () => {
    const coursera = server.coursera;
    if (coursera === undefined) throw new Error('demo Coursera not started');
    const { bindings } = await server.gradeSync.overview({ tenantId: 'demo', runs: 0 });
    const entry = bindings.find(
      (candidate) =>
        Object.keys(candidate.binding.itemLineItems ?? {}).length + candidate.pendingItems.length > 0,
    );
    if (entry === undefined) throw new Error('no option A binding');
    const optionA = entry.binding;
    // The item the demo student did not complete in journey 3.
    const itemIds = [...Object.keys(optionA.itemLineItems ?? {}), ...entry.pendingItems];
    const itemId = itemIds.at(-1) ?? '';
    await coursera.admin.addLearner(optionA.programId, {
      externalId: course.otherStudent.id,
      email: course.otherStudent.email,
      fullName: course.otherStudent.name,
    });
    await coursera.admin.setResult({
      programId: optionA.programId,
      externalId: course.otherStudent.id,
      itemId,
      score: 6,
    });
    await coursera.admin.clearRequests();
    const run = await server.gradeSync.sync(optionA.id);
    if (run.statistics.queued === 0) {
      const requests = (await coursera.admin.requests()).map((entry) => JSON.stringify(entry).slice(0, 200));
      console.error('journey 4 sync read', JSON.stringify(requests).slice(0, 2000), JSON.stringify(optionA));
    }
    expect(run.statistics.queued, JSON.stringify(run.statistics)).toBeGreaterThanOrEqual(1);
    await server.gradeSync.drain(optionA.lmsId);

    const teacher = await browser.newPage();
    await lmsSignIn(teacher, course.teacher);
    await teacher.getByRole('link', { name: 'Gradebook' }).click();
    const row = teacher.getByRole('row', { name: new RegExp(course.otherStudent.name) });
    await expect
      .poll(() => scoresAfterReload(teacher, row), {
        timeout: 60_000,
        interval: 2_000,
      })
      .toMatch(/(^| )6 \/ 10( |$)/);
    await screenshot(teacher, journey4, '01-gradebook-without-sso');
    await teacher.close();
  });
  it('a partner writes a grade through the gradebook API with its OneRoster credentials, and it lands in the LMS', {
    timeout: 120_000,
  }, async () => {
    const credentials = server.demo?.credentials;
    if (credentials === undefined) throw new Error('no demo credentials');
    const anonymous = await fetch(`${server.url}/gradebook/v1/classes/${course.id}/assignments`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    const { access_token: token } = (await (
      await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      })
    ).json()) as { access_token: string };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/gradebook/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect(
      (
        await call('POST', '/classes/no-such-class/assignments', {
          title: 'x',
          points_possible: 1,
          grading_type: 'points',
          state: 'open',
        })
      ).status,
    ).toBe(404);
    const created = await call('POST', `/classes/${course.id}/assignments`, {
      title: 'Reading log',
      state: 'open',
      points_possible: 20,
      grading_type: 'points',
    });
    expect(created.status).toBe(201);
    const assignment = (await created.json()) as { id: string; sync: { lms_id: string } };
    const submitted = await call(
      'PUT',
      `/classes/${course.id}/assignments/${assignment.id}/submissions/${course.otherStudent.id}`,
      {
        state: 'returned',
        grade_points: 17,
      },
    );
    expect(submitted.status).toBe(200);
    await server.gradeSync.drain(assignment.sync.lms_id);

    const teacher = await browser.newPage();
    await lmsSignIn(teacher, course.teacher);
    await teacher.getByRole('link', { name: 'Gradebook' }).click();
    expect(await teacher.getByRole('columnheader', { name: /Reading log/ }).count()).toBe(1);
    const row = teacher.getByRole('row', { name: new RegExp(course.otherStudent.name) });
    expect(await scoresAfterReload(teacher, row)).toMatch(/(^| )17 \/ 20( |$)/);
    await screenshot(teacher, 'journey-5-partner-access', '04-partner-grade-in-lms');
    await teacher.close();
  });
});
