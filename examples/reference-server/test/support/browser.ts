import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (override with `PASSPORT_CHROMIUM`), headless, never downloaded. */
export const chromiumPath = process.env.PASSPORT_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** Where journeys keep their screenshots (a CI artifact; git-ignored). */
export const artifactsDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '.vitest-artifacts',
  'journeys',
);

/** Saves a full-page screenshot as `<journey>/<step>.png` under the artifacts folder. */
export async function screenshot(page: Page, journey: string, step: string): Promise<void> {
  const folder = join(artifactsDir, journey);
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${step}.png`), fullPage: true });
}

/** Signs in through Passport's sign-in page: picks the district, then fills the password form. */
export async function signIn(
  page: Page,
  startUrl: string,
  account: { district: string; username: string; password: string },
  districtName: string,
): Promise<void> {
  await page.goto(startUrl);
  if (page.url().includes('/sso/signin') && !page.url().includes('district=')) {
    await page.getByRole('link', { name: districtName }).click();
  }
  await page.getByLabel(/username/i).fill(account.username);
  await page.getByLabel(/password/i).fill(account.password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: /sign in/i }).click()]);
}
