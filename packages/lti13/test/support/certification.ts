import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The certification payloads live beside the repository, in `../shared/lti-certification`. */
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const certificationRoot = resolve(repositoryRoot, '../shared/lti-certification');

export interface CertificationCase {
  readonly name: string;
  readonly expected: 'valid' | 'invalid';
  readonly payload: Record<string, unknown>;
  readonly header?: Record<string, unknown>;
  readonly keep: readonly string[];
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function readCertificationCases(): CertificationCase[] {
  const cases: CertificationCase[] = [];
  for (const expected of ['valid', 'invalid'] as const) {
    const folder = join(certificationRoot, expected);
    for (const name of readdirSync(folder).sort()) {
      const caseFolder = join(folder, name);
      const headerPath = join(caseFolder, 'header.json');
      const keepPath = join(caseFolder, 'keep.json');
      cases.push({
        name,
        expected,
        payload: readJson(join(caseFolder, 'payload.json')) as Record<string, unknown>,
        ...(existsSync(headerPath) ? { header: readJson(headerPath) as Record<string, unknown> } : {}),
        keep: existsSync(keepPath) ? (readJson(keepPath) as string[]) : [],
      });
    }
  }
  return cases;
}
