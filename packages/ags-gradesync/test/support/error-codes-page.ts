import { gradeSyncErrorCatalog, gradeSyncFindingCatalog } from '../../src/errors.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/gradesync/error-codes.md, rendered from the catalogs in src/errors.ts. */
export function renderErrorCodesPage(): string {
  const errors = Object.entries(gradeSyncErrorCatalog)
    .map(
      ([code, entry]) =>
        `| \`${code}\` | ${entry.status} | ${entry.retryable ? 'yes' : 'no'} | ${cell(entry.title)} | ${cell(entry.fix)} |`,
    )
    .join('\n');
  const findings = Object.entries(gradeSyncFindingCatalog)
    .map(([code, entry]) => `| \`${code}\` | ${cell(entry.title)} | ${cell(entry.fix)} |`)
    .join('\n');
  return `# @passport/ags-gradesync: error and finding codes

Generated from \`packages/ags-gradesync/src/errors.ts\`; \`test/error-codes-doc.test.ts\` fails when this page is not
current (run it with \`UPDATE_DOCS=1\` to rewrite it).

## Errors (\`GradeSyncError\`)

"Our failure" (options, bindings, modes) and "the LMS said no" (\`GRADESYNC_LMS_*\`, line item and score codes) are
different codes. \`Gradebook\` adapters throw only the LMS ones; the delivery loop retries the retryable ones with
backoff and jitter (honouring \`Retry-After\`) and dead-letters the others with the code as the reason.

| code | status | retryable | what happened | what to do |
| ---- | ------ | --------- | ------------- | ---------- |
${errors}

## Findings of a sync run

Reported in \`RunRecord.statistics.findings\`, per learner or item; nothing is sent for them.

| code | what happened | what to do |
| ---- | ------------- | ---------- |
${findings}
`;
}
