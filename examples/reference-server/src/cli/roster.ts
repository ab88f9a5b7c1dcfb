import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  exportCustom,
  type Finding,
  type ImportPackageResult,
  loadMapping,
  readPackage,
  type ValidationProgress,
  type ValidationReport,
  validatePackage,
  writeGeneratedDistrict,
  writePackage,
} from '@passport/oneroster';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { createRosterService } from '../roster/roster-service.ts';
import { loadSealingKey } from '../secrets/sealing-key.ts';
import type { CliContext, OutputStream } from './context.ts';
import { exitCodes, UsageError } from './exit-codes.ts';
import { type DatabaseFlags, dataDirOption, jsonOption } from './options.ts';

/**
 * `passport roster validate|convert|generate`: OneRoster 1.1 CSV packages, through @passport/oneroster.
 * These commands need no database. Exit codes: 0 valid/done, 1 invalid/failed, 2 usage error.
 */
export function registerRosterCommands(program: Command, context: CliContext): void {
  const roster = program
    .command('roster')
    .description(
      'OneRoster 1.1 CSV packages: validate, convert to a custom layout or to clean OneRoster, generate',
    );
  const { io } = context;
  const inputPath = (path: string): string => {
    const full = resolve(io.cwd, path);
    if (!existsSync(full)) throw new UsageError(`no file or directory at ${path}`);
    return full;
  };

  roster
    .command('validate')
    .description(
      'check a package (zip or directory) against OneRoster 1.1; exit 0 valid, 1 invalid, 2 usage error',
    )
    .argument('<zip-or-dir>', 'the package: a .zip file or a directory holding manifest.csv')
    .addOption(jsonOption())
    .addOption(maxFindingsOption())
    .action(async (path: string, flags: { json?: boolean; maxFindings?: number }) => {
      const progress = progressBar(io.stderr, !flags.json);
      const report = await validatePackage(inputPath(path), {
        ...(flags.maxFindings === undefined ? {} : { maxFindings: flags.maxFindings }),
        onProgress: progress.update,
      });
      progress.done();
      io.stdout.write(
        flags.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : describeReport(path, report),
      );
      context.setExitCode(report.valid ? exitCodes.ok : exitCodes.failure);
    });

  roster
    .command('convert')
    .description(
      'convert a package to a custom CSV layout (--mapping) or to clean, normalized OneRoster (--to oneroster)',
    )
    .argument('<zip-or-dir>', 'the package: a .zip file or a directory holding manifest.csv')
    .option('--mapping <file.json>', 'a custom layout mapping file (see packages/oneroster/mappings/)')
    .addOption(new Option('--to <format>', 'write the package again in this format').choices(['oneroster']))
    .requiredOption('--out <zip-or-dir>', 'where to write: a directory, or a .zip for --to oneroster')
    .addOption(jsonOption())
    .action(async (path: string, flags: { mapping?: string; to?: string; out: string; json?: boolean }) => {
      if ((flags.mapping === undefined) === (flags.to === undefined)) {
        throw new UsageError('give exactly one of --mapping <file.json> or --to oneroster');
      }
      const mapping = flags.mapping === undefined ? undefined : await loadMapping(inputPath(flags.mapping));
      const progress = progressBar(io.stderr, !flags.json);
      const { dataset, report } = await readPackage(inputPath(path), { onProgress: progress.update });
      progress.done();
      if (!report.valid) {
        io.stdout.write(
          flags.json
            ? `${JSON.stringify({ converted: false, ...reportJson(report) }, null, 2)}\n`
            : `${describeReport(path, report)}Nothing written: fix the errors above first.\n`,
        );
        context.setExitCode(exitCodes.failure);
        return;
      }
      const out = resolve(io.cwd, flags.out);
      let files: Record<string, number>;
      if (mapping === undefined) {
        await writePackage(dataset, out);
        files = Object.fromEntries(
          Object.entries(dataset.tables).map(([file, table]) => [`${file}.csv`, table?.rows.length ?? 0]),
        );
      } else {
        files = (await exportCustom(dataset, mapping, out)).files;
      }
      if (flags.json) {
        io.stdout.write(
          `${JSON.stringify({ converted: true, out: flags.out, files, warnings: report.warnings }, null, 2)}\n`,
        );
      } else {
        const lines = Object.entries(files).map(
          ([file, rows]) => `  ${file}: ${rows.toLocaleString('en-US')} rows`,
        );
        const warned = report.totals.warnings
          ? ` (${report.totals.warnings} warnings while reading; see roster validate)`
          : '';
        io.stdout.write(`Wrote ${flags.out}${warned}\n${lines.join('\n')}\n`);
      }
    });

  roster
    .command('import')
    .description(
      "validate a package and load it into a tenant: bulk replaces the tenant's roster, delta applies changes; " +
        'exit 0 applied, 1 invalid or held for confirmation',
    )
    .argument('<zip-or-dir>', 'the package: a .zip file or a directory holding manifest.csv')
    .requiredOption('--tenant <id>', 'the tenant (district) to load into')
    .option(
      '--confirm',
      'apply even when the safety guard holds the import (it would remove much of the roster)',
    )
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(
      async (path: string, flags: DatabaseFlags & { tenant: string; confirm?: boolean; json?: boolean }) => {
        const packagePath = inputPath(path);
        await context.withDatabase({ dataDir: flags.dataDir }, async (database, config) => {
          const roster = createRosterService({
            database,
            sealingKey: await loadSealingKey({ environment: io.environment, dataDir: config.dataDir }),
          });
          const progress = progressBar(io.stderr, !flags.json);
          const result = await roster.importPackage(flags.tenant, packagePath, {
            confirm: flags.confirm === true,
            validation: { onProgress: progress.update },
          });
          progress.done();
          io.stdout.write(
            flags.json
              ? `${JSON.stringify(importJson(result), null, 2)}\n`
              : describeImport(path, flags.tenant, result),
          );
          context.setExitCode(result.status === 'applied' ? exitCodes.ok : exitCodes.failure);
        });
      },
    );

  roster
    .command('generate')
    .description(
      'write a realistic synthetic district as a OneRoster 1.1 package, the same for the same seed',
    )
    .requiredOption('--students <n>', 'number of students', positiveInteger)
    .option('--seed <seed>', 'seed: the same seed gives the same district', 'passport')
    .requiredOption('--out <zip-or-dir>', 'where to write: a .zip file or a directory')
    .addOption(jsonOption())
    .action(async (flags: { students: number; seed: string; out: string; json?: boolean }) => {
      const counts = await writeGeneratedDistrict(
        { students: flags.students, seed: flags.seed },
        resolve(io.cwd, flags.out),
      );
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ out: flags.out, counts }, null, 2)}\n`);
      } else {
        const lines = Object.entries(counts)
          .filter(([, rows]) => rows > 0)
          .map(([file, rows]) => `  ${file}.csv: ${rows.toLocaleString('en-US')} rows`);
        io.stdout.write(`Wrote ${flags.out} (seed ${flags.seed})\n${lines.join('\n')}\n`);
      }
    });
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('must be a whole number of at least 1');
  return number;
}

function maxFindingsOption(): Option {
  return new Option(
    '--max-findings <n>',
    'keep at most this many errors and this many warnings (default 1000)',
  ).argParser((value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('must be a whole number');
    return number;
  });
}

function reportJson(report: ValidationReport) {
  return {
    valid: report.valid,
    counts: Object.fromEntries(Object.entries(report.counts).map(([file, rows]) => [`${file}.csv`, rows])),
    errors: report.errors,
    warnings: report.warnings,
    totals: report.totals,
    truncated: report.truncated,
  };
}

function describeFinding(finding: Finding): string {
  const where = [
    finding.file || '(package)',
    finding.line > 0 ? String(finding.line) : '',
    finding.column ?? '',
  ]
    .filter(Boolean)
    .join(':');
  const value = finding.value === undefined ? '' : ` (value: ${JSON.stringify(finding.value)})`;
  return `  ${finding.severity === 'error' ? 'error  ' : 'warning'} ${where}  ${finding.code}  ${finding.message}${value}`;
}

function describeReport(path: string, report: ValidationReport): string {
  const lines: string[] = [];
  lines.push(`${path}: ${report.valid ? 'valid' : 'INVALID'} OneRoster 1.1 package`);
  for (const [file, rows] of Object.entries(report.counts))
    lines.push(`  ${file}.csv: ${rows?.toLocaleString('en-US')} rows`);
  if (report.errors.length)
    lines.push('', `Errors (${report.totals.errors}):`, ...report.errors.map(describeFinding));
  if (report.warnings.length)
    lines.push('', `Warnings (${report.totals.warnings}):`, ...report.warnings.map(describeFinding));
  if (report.truncated) {
    lines.push(
      '',
      `Only the first findings are listed (${report.totals.errors} errors and ${report.totals.warnings} warnings in all); raise --max-findings to see more.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A one-line progress display on a terminal; nothing when the output is not a terminal. */
function progressBar(stream: OutputStream, enabled: boolean) {
  const active = enabled && stream.isTTY === true;
  let last = 0;
  return {
    update(progress: ValidationProgress): void {
      if (!active) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const share = progress.totalBytes ? Math.min(1, progress.bytes / progress.totalBytes) : undefined;
      const width = 24;
      const bar =
        share === undefined
          ? ''
          : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${Math.round(share * 100)}% `;
      stream.write(`\r\x1b[K${progress.file} ${bar}${progress.rows.toLocaleString('en-US')} rows`);
    },
    done(): void {
      if (active) stream.write('\r\x1b[K');
    },
  };
}

function importJson(result: ImportPackageResult) {
  const report = reportJson(result.report);
  if (result.status === 'invalid') return { status: result.status, validation: report };
  return {
    status: result.status,
    counts: Object.fromEntries(
      Object.entries(result.counts).map(([file, counts]) => [`${file}.csv`, counts]),
    ),
    ...(result.status === 'held' ? { guard: result.guard } : {}),
    validation: { valid: report.valid, totals: report.totals, warnings: report.warnings },
  };
}

function describeImport(path: string, tenant: string, result: ImportPackageResult): string {
  if (result.status === 'invalid') {
    return `${describeReport(path, result.report)}Nothing imported into ${tenant}: fix the errors above first.\n`;
  }
  const lines = Object.entries(result.counts).map(
    ([file, counts]) =>
      `  ${`${file}.csv`.padEnd(22)} ${String(counts?.inserted ?? 0).padStart(8)} inserted ${String(counts?.updated ?? 0).padStart(8)} updated ${String(counts?.deleted ?? 0).padStart(8)} deleted ${String(counts?.unchanged ?? 0).padStart(8)} unchanged`,
  );
  if (result.status === 'held') {
    return [
      `HELD: the import into ${tenant} was not applied, because it would remove much of the roster:`,
      ...result.guard.map((finding) => `  - ${finding.message}`),
      '',
      'What it would do:',
      ...lines,
      '',
      'If the package is complete and this is intended, run the same command again with --confirm.',
      '',
    ].join('\n');
  }
  const warned = result.report.totals.warnings
    ? ` (${result.report.totals.warnings} warnings; see roster validate)`
    : '';
  return [`Imported ${path} into ${tenant}${warned}`, ...lines, ''].join('\n');
}
