import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { artifactsDir, launchChromium, screenshot, signIn } from './support/browser.ts';
import { testConfig } from './support/config.ts';
import { makeTempDir } from './support/temp-dir.ts';

/*
 * The district sign-in page in headless Chromium, by its labels and the keyboard only (the console runs no script):
 * a district admin reaches it from the navigation, gets an OpenID form back with the mistake named beside the field,
 * corrects it, and turns badges on. Screenshots go to `.vitest-artifacts/journeys/district-sign-in/`.
 */
let server: RunningServer;
let browser: Browser;
let folder: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  folder = await makeTempDir('passport-sign-in-browser-');
  server = await startServer({
    config: testConfig({ dataDir: join(folder.path, 'data'), demo: true }),
    logger: createLogger({ level: 'silent' }),
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await folder?.remove();
});

describe('a district admin chooses sign-in methods with the keyboard', () => {
  it('adds an OpenID provider after a named mistake, and turns badges on', { timeout: 120_000 }, async () => {
    const admin = server.demo?.accounts?.find((account) => account.role === 'district admin');
    if (admin === undefined) throw new Error('the demo has no district admin');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signIn(page, `${server.url}/console/signin`, admin, 'Springfield Demo District');
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sign-in' }).click();
      await page.waitForURL('**/console/districts/demo/sign-in');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Springfield Demo District: sign-in',
      );
      await screenshot(page, 'district-sign-in', '01-methods');

      await page.getByLabel('Another OpenID provider').check();
      await page.getByLabel('Issuer URL, for another provider').fill('http://idp.springfield.example');
      await page.getByLabel('Button label (blank: Google or Microsoft)').fill('Springfield Login');
      await page.getByLabel('Client ID').fill('springfield-client');
      await page.getByLabel('Client secret').fill('a-client-secret-0123456789');
      await page.getByLabel('Client secret').press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(
        'Issuer URL: must be an https address (got "http://idp.springfield.example").',
      );
      const issuer = page.getByLabel('Issuer URL, for another provider');
      expect(await issuer.getAttribute('aria-invalid')).toBe('true');
      // The field with the mistake has the focus, and the message describes it.
      expect(await issuer.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await issuer.getAttribute('aria-describedby')).toBe('oidc-problem');
      expect(await page.getByLabel('Client ID').inputValue()).toBe('springfield-client');
      expect(await page.getByLabel('Client secret').inputValue()).toBe('');
      await screenshot(page, 'district-sign-in', '02-issuer-refused');

      await issuer.fill('https://idp.springfield.example');
      await page.getByLabel('Client secret').fill('a-client-secret-0123456789');
      await Promise.all([page.waitForURL('**/sign-in'), page.getByLabel('Client secret').press('Enter')]);
      const row = page.getByRole('row').filter({ hasText: 'Springfield Login' });
      expect(await row.textContent()).toContain(
        `${server.url}/sso/signin/upstream/demo/springfield-login/callback`,
      );

      const student = page.getByRole('checkbox', { name: 'student' });
      expect(await student.isChecked()).toBe(true);
      await student.focus();
      await page.keyboard.press('Tab'); // the next role
      await page.keyboard.press('Space');
      expect(await page.getByRole('checkbox', { name: 'teacher' }).isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Turn badges on' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Turn badges off' }).waitFor();
      expect(await page.getByText('Badges are on.').count()).toBe(1);
      expect(await page.getByLabel('Class').count()).toBe(1);
      await screenshot(page, 'district-sign-in', '03-provider-and-badges');
      // The top of the page, for the district admin guide.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(artifactsDir, 'district-sign-in', '04-methods-table.png') });
    } finally {
      await context.close();
    }
  });
});
