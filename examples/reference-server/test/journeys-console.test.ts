import { join } from 'node:path';
import { createPackageWriter } from '@passport/oneroster';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../src/demo/demo-accounts.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { launchChromium, screenshot, signIn } from './support/browser.ts';
import { testConfig } from './support/config.ts';
import { seedMigratedDatabase } from './support/pglite-template.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * End-to-end journeys through the console in headless Chromium, on the reference server in demo mode (PGlite):
 * journey 1 (a district admin imports a roster package and sees the counts; a broken package shows its findings
 * and changes nothing) and journey 5 (a partner requests access, the district grants a scope, and the partner's
 * credentials read exactly that scope through the OneRoster API and nothing else). Screenshots go to
 * `.vitest-artifacts/journeys/`.
 */
const districtName = 'Springfield Demo District';
let server: RunningServer;
let browser: Browser;
let folder: { path: string; remove: () => Promise<void> };
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  folder = await makeTempDir('passport-journeys-');
  await seedMigratedDatabase(join(folder.path, 'data'));
  server = await startServer({
    config: testConfig({ dataDir: join(folder.path, 'data'), demo: true }),
    logger: createLogger({ level: 'silent' }),
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await browser?.close();
  await server?.close();
  await folder?.remove();
});

function account(role: DemoAccount['role']): DemoAccount {
  const found = server.demo?.accounts?.find((item) => item.role === role);
  if (found === undefined) throw new Error(`the demo has no ${role}`);
  return found;
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  return context.newPage();
}

/** A link of the console's navigation bar. */
const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });

async function apiToken(clientId: string, clientSecret: string): Promise<Response> {
  return fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

async function demoStudentCount(): Promise<number> {
  const credentials = server.demo?.credentials;
  if (credentials === undefined) throw new Error('no demo credentials');
  const { access_token: token } = (await (
    await apiToken(credentials.clientId, credentials.clientSecret)
  ).json()) as {
    access_token: string;
  };
  const response = await fetch(`${server.url}/ims/oneroster/v1p1/students?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return Number(response.headers.get('x-total-count'));
}

async function firstSchool(): Promise<string> {
  const credentials = server.demo?.credentials;
  if (credentials === undefined) throw new Error('no demo credentials');
  const { access_token: token } = (await (
    await apiToken(credentials.clientId, credentials.clientSecret)
  ).json()) as {
    access_token: string;
  };
  const body = (await (
    await fetch(`${server.url}/ims/oneroster/v1p1/schools?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { orgs: { sourcedId: string }[] };
  return body.orgs[0]?.sourcedId ?? '';
}

/** A delta package with one users.csv row (a new student, or a broken one). */
async function usersDelta(name: string, row: Record<string, string>): Promise<string> {
  const path = join(folder.path, name);
  const writer = createPackageWriter(path);
  await writer.writeTable('users', 'delta', [], [row]);
  await writer.close({ 'source.systemName': 'Journey SIS' });
  return path;
}

describe('journey 1: a district admin imports a roster package', () => {
  it('sees the counts of a valid package, and the findings of a broken one that changes nothing', {
    timeout: 120_000,
  }, async () => {
    const page = await newPage();
    await signIn(page, `${server.url}/console/signin`, account('district admin'), districtName);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(districtName);
    expect(new URL(page.url()).pathname).toBe('/console/districts/demo');
    const studentsFigure = page.getByRole('list', { name: 'Roster figures' }).getByRole('listitem').first();
    expect(await studentsFigure.textContent()).toBe('400students');
    await screenshot(page, 'journey-1-roster-import', '01-district-overview');
    const before = await demoStudentCount();
    expect(before).toBe(400);

    const school = await firstSchool();
    const valid = await usersDelta('new-student.zip', {
      sourcedId: 'journey-student-1',
      status: 'active',
      dateLastModified: '2026-11-01T08:00:00Z',
      enabledUser: 'true',
      orgSourcedIds: school,
      role: 'student',
      username: 'ada.journey',
      givenName: 'Ada',
      familyName: 'Journey',
      grades: '07',
    });
    await nav(page, 'Imports').click();
    await page.getByLabel('Package (.zip)').setInputFiles(valid);
    await Promise.all([
      page.waitForURL(/\/imports\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Import' }).click(),
    ]);
    expect(await page.getByRole('status').first().textContent()).toContain('Applied');
    const usersRow = page.getByRole('row', { name: /^users\.csv/ });
    expect((await usersRow.getByRole('cell').allTextContents()).slice(0, 5)).toEqual([
      'users.csv',
      '1',
      '0',
      '0',
      '0',
    ]);
    await screenshot(page, 'journey-1-roster-import', '02-import-applied');
    expect(await demoStudentCount()).toBe(before + 1);

    // A broken package: an unknown role and a missing given name. Nothing changes; the findings say where and why.
    const broken = await usersDelta('broken.zip', {
      sourcedId: 'journey-student-2',
      status: 'active',
      dateLastModified: '2026-11-01T08:00:00Z',
      enabledUser: 'true',
      orgSourcedIds: school,
      role: 'wizard',
      username: 'broken.journey',
      givenName: '',
      familyName: 'Broken',
    });
    await nav(page, 'Imports').click();
    await page.getByLabel('Package (.zip)').setInputFiles(broken);
    await Promise.all([
      page.waitForURL(/\/imports\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Import' }).click(),
    ]);
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toMatch(/The package has \d+ errors?: nothing was changed\./);
    const roleFinding = page.getByRole('row', { name: /ONEROSTER_CSV_ENUM_INVALID/ });
    expect(await roleFinding.getByRole('cell').allTextContents()).toEqual([
      'error',
      'users.csv',
      '2',
      'role',
      'ONEROSTER_CSV_ENUM_INVALID',
      expect.stringContaining('wizard'),
    ]);
    expect(await page.getByRole('row', { name: /givenName/ }).count()).toBeGreaterThan(0);
    await screenshot(page, 'journey-1-roster-import', '03-import-invalid');
    expect(await demoStudentCount()).toBe(before + 1);

    // The history lists both, newest first, and the roster search finds the student the valid package added.
    await nav(page, 'Imports').click();
    const outcomes = await page.locator('tbody .status').allTextContents();
    expect(outcomes.slice(0, 2)).toEqual(['invalid', 'applied']);
    await nav(page, 'Roster').click();
    await page.getByLabel('Search').fill('Journey');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.getByRole('status').textContent()).toBe('1 found.');
    expect(await page.getByRole('row', { name: /Ada Journey/ }).count()).toBe(1);
    await screenshot(page, 'journey-1-roster-import', '04-roster-search');
  });
});

describe('journey 5: a partner gets exactly the scope a district grants', () => {
  it('requests access, is granted roster-core only, and its credentials read that and nothing else', {
    timeout: 120_000,
  }, async () => {
    const partner = await newPage();
    await signIn(
      partner,
      `${server.url}/console/signin`,
      account('partner developer'),
      'Passport staff and partners',
    );
    expect(new URL(partner.url()).pathname).toBe('/console/partners/northwind');
    await partner.getByLabel('District', { exact: true }).selectOption('demo');
    await partner.getByLabel('roster-demographics.readonly').check();
    await partner
      .getByLabel('Message to the district')
      .fill('We need classes and students for reading groups.');
    await partner.getByRole('button', { name: 'Send request' }).click();
    expect(
      await partner
        .getByRole('row', { name: new RegExp(districtName) })
        .locator('.status')
        .textContent(),
    ).toBe('requested');
    await screenshot(partner, 'journey-5-partner-access', '01-partner-requested');

    // The district admin grants roster-core only (un-ticks demographics).
    const district = await newPage();
    await signIn(
      district,
      `${server.url}/console/districts/demo/apps`,
      account('district admin'),
      districtName,
    );
    expect(new URL(district.url()).pathname).toBe('/console/districts/demo/apps');
    const request = district.getByRole('row', { name: /Northwind Reading/ });
    expect(await request.locator('.status').textContent()).toBe('requested');
    await request.getByLabel('roster-demographics.readonly').uncheck();
    await screenshot(district, 'journey-5-partner-access', '02-district-reviews');
    await request.getByRole('button', { name: 'Grant' }).click();
    const granted = district.getByRole('row', { name: /Northwind Reading/ });
    expect(await granted.locator('.status').textContent()).toBe('granted');
    expect(await granted.getByRole('cell').nth(3).textContent()).toBe('roster-core.readonly');

    // The partner creates credentials: shown once.
    await partner.reload();
    await partner.getByRole('button', { name: 'Create API credentials' }).click();
    const values = await partner.locator('.notice dd code').allTextContents();
    const [clientId, clientSecret] = values;
    expect(clientId).toMatch(/\S{8,}/);
    await screenshot(partner, 'journey-5-partner-access', '03-credentials-once');

    const tokenResponse = await apiToken(clientId ?? '', clientSecret ?? '');
    expect(tokenResponse.status).toBe(200);
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const get = (path: string) =>
      fetch(`${server.url}/ims/oneroster/v1p1${path}`, { headers: { authorization: `Bearer ${token}` } });
    const students = await get('/students?limit=2');
    expect(students.status).toBe(200);
    expect(Number(students.headers.get('x-total-count'))).toBeGreaterThanOrEqual(400);
    const classes = await get('/classes?limit=2');
    expect(classes.status).toBe(200);
    for (const path of ['/demographics', '/lineItems', '/resources']) {
      const refused = await get(path);
      expect(refused.status, path).toBe(403);
    }

    // Revoking ends it at once; the usage page counted the requests.
    await partner.reload();
    const usage = partner.getByRole('row', { name: new RegExp(`${clientId}`) });
    expect(Number(await usage.getByRole('cell').last().textContent())).toBeGreaterThanOrEqual(2);
    await district
      .getByRole('row', { name: /Northwind Reading/ })
      .getByRole('button', { name: 'Revoke access' })
      .click();
    expect(
      await district
        .getByRole('row', { name: /Northwind Reading/ })
        .locator('.status')
        .textContent(),
    ).toBe('revoked');
    expect((await get('/students?limit=1')).status).toBe(401);
    expect((await apiToken(clientId ?? '', clientSecret ?? '')).status).toBe(401);
  });
});
