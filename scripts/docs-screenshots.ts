// Copies the screenshots the guides use from the journey tests' artifacts into docs/guides/images/.
// Take them first, then copy:
//   npx vitest run --project reference-server journeys-console journeys-lms console-sign-in-browser
//   node scripts/docs-screenshots.ts
// Every image is named here; a missing one stops the copy and says which test takes it.
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, 'examples', 'reference-server', '.vitest-artifacts', 'journeys');
const images = join(root, 'docs', 'guides', 'images');

/** `<journey>/<step>.png` under the artifacts, the file name in docs/guides/images, and the test that takes it. */
const chosen: readonly { from: string; to: string; test: string }[] = [
  {
    from: 'journey-1-roster-import/01-district-overview.png',
    to: 'district-overview.png',
    test: 'journeys-console',
  },
  {
    from: 'journey-1-roster-import/02-import-applied.png',
    to: 'import-applied.png',
    test: 'journeys-console',
  },
  {
    from: 'journey-1-roster-import/03-import-invalid.png',
    to: 'import-invalid.png',
    test: 'journeys-console',
  },
  { from: 'journey-1-roster-import/04-roster-search.png', to: 'roster-search.png', test: 'journeys-console' },
  {
    from: 'district-sign-in/04-methods-table.png',
    to: 'district-sign-in.png',
    test: 'console-sign-in-browser',
  },
  {
    from: 'journey-2-lms-deep-linking/01-lms-registered-passport.png',
    to: 'lms-registered-passport.png',
    test: 'journeys-lms',
  },
  {
    from: 'journey-2-lms-deep-linking/02-operator-activated.png',
    to: 'lms-connections-activated.png',
    test: 'journeys-lms',
  },
  {
    from: 'journey-2-lms-deep-linking/03-option-a-added.png',
    to: 'lms-activities-added.png',
    test: 'journeys-lms',
  },
  {
    from: 'journey-3-student-first-sign-on/00-district-chooses-option-a.png',
    to: 'district-grade-sync.png',
    test: 'journeys-lms',
  },
  {
    from: 'journey-3-student-first-sign-on/02-link-account.png',
    to: 'student-link-account.png',
    test: 'journeys-lms',
  },
  {
    from: 'journey-3-student-first-sign-on/04-gradebook-score.png',
    to: 'lms-gradebook-score.png',
    test: 'journeys-lms',
  },
  {
    from: 'journey-5-partner-access/01-partner-requested.png',
    to: 'partner-requested.png',
    test: 'journeys-console',
  },
  {
    from: 'journey-5-partner-access/02-district-reviews.png',
    to: 'district-reviews-request.png',
    test: 'journeys-console',
  },
  {
    from: 'journey-5-partner-access/03-credentials-once.png',
    to: 'partner-credentials.png',
    test: 'journeys-console',
  },
];

const missing: string[] = [];
for (const image of chosen) {
  const source = join(artifacts, image.from);
  const found = await stat(source).catch(() => undefined);
  if (found === undefined) missing.push(`${relative(root, source)} (taken by the ${image.test} test)`);
}
if (missing.length > 0) {
  process.stderr.write(
    `docs-screenshots: missing screenshots:\n${missing.map((line) => `  - ${line}`).join('\n')}\n` +
      'Run the journey tests first: npx vitest run --project reference-server journeys-console journeys-lms\n',
  );
  process.exitCode = 1;
} else {
  await mkdir(images, { recursive: true });
  for (const image of chosen) {
    await copyFile(join(artifacts, image.from), join(images, image.to));
    process.stdout.write(`${image.from} -> ${relative(root, join(images, image.to))}\n`);
  }
}
