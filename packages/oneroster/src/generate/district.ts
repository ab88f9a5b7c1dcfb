/**
 * A realistic synthetic OneRoster 1.1 district, deterministic per seed: a district and its elementary, middle and
 * high schools of a few hundred students, about one teacher per 15 students, 6–8 classes per student (courses per
 * school and grade, a class per course and section, full-year or semester terms), one school year with two
 * semesters and four grading periods, parents or guardians linked both ways, demographics, gradebook categories,
 * line items and results for some classes, and resources linked to courses and classes.
 *
 * Every row is valid bulk OneRoster 1.1 (blank status and dateLastModified) and every reference points at a row
 * that exists. Rows are produced lazily from a plan whose size grows with the number of schools and courses only,
 * so `writeGeneratedDistrict` writes a district of a million students (about 8M enrollments) in bounded memory.
 */
import { z } from 'zod';
import type { CsvDataset, CsvRow } from '../csv/dataset.ts';
import { createPackageWriter, type WritePackageOptions } from '../csv/write.ts';
import { invalidOptions } from '../csv/write-target.ts';
import { type FileName, fileNames, headerOf } from '../model/files.ts';
import {
  type DistrictOptions,
  type DistrictPlan,
  planDistrict,
  type ResolvedDistrictOptions,
} from './plan.ts';
import { classRows, courseRows } from './rows/courses.ts';
import { demographicRows } from './rows/demographics.ts';
import { enrollmentRows } from './rows/enrollments.ts';
import { categoryRows, lineItemRows, resultRows } from './rows/gradebook.ts';
import { academicSessionRows, orgRows } from './rows/orgs.ts';
import { classResourceRows, courseResourceRows, resourceRows } from './rows/resources.ts';
import { userRows } from './rows/users.ts';

export type { DistrictOptions, ResolvedDistrictOptions };

const optionsSchema = z.strictObject({
  students: z.int().min(1).max(20_000_000),
  seed: z.union([z.string(), z.number()]).default(1),
  schoolYear: z.int().min(1971).max(9999).default(2026),
  schoolSize: z.int().min(1).default(450),
  classSize: z.int().min(1).default(25),
  studentsPerTeacher: z.number().positive().default(15),
  districtName: z.string().default(''),
  emailDomain: z
    .string()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/i, 'must be a domain name such as district.example.org')
    .or(z.literal(''))
    .default(''),
});

export interface GeneratedDistrict {
  readonly options: ResolvedDistrictOptions;
  /** The data files the district fills, in the order they are written. */
  readonly files: readonly FileName[];
  /** The header of a file: the spec columns in spec order. */
  columns(file: FileName): string[];
  /** A fresh lazy pass over a file's rows; each call starts again and yields the same rows. */
  rows(file: FileName): Iterable<CsvRow>;
  /** `source.*` manifest properties. */
  readonly properties: Readonly<Record<string, string>>;
  /** What the plan holds, known before any row is produced. */
  readonly totals: { schools: number; students: number; teachers: number; classes: number; courses: number };
}

export function generateDistrict(options: DistrictOptions): GeneratedDistrict {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw invalidOptions('district', parsed.error);
  }
  const plan = planDistrict(parsed.data);
  const producers: Record<FileName, (plan: DistrictPlan) => Iterable<CsvRow>> = {
    orgs: orgRows,
    academicSessions: academicSessionRows,
    courses: courseRows,
    classes: classRows,
    users: userRows,
    enrollments: enrollmentRows,
    demographics: demographicRows,
    categories: categoryRows,
    lineItems: lineItemRows,
    results: resultRows,
    resources: resourceRows,
    classResources: classResourceRows,
    courseResources: courseResourceRows,
  };
  return {
    options: parsed.data,
    files: fileNames,
    columns: headerOf,
    rows: (file) => producers[file](plan),
    properties: {
      'source.systemName': 'Passport synthetic district',
      'source.systemCode': `passport-generate:${String(parsed.data.seed)}`,
    },
    totals: { schools: plan.schools.length, ...plan.totals },
  };
}

/** A generated district held in memory, every file in bulk mode. For small districts (tests, examples). */
export function generateDataset(options: DistrictOptions): CsvDataset {
  const district = generateDistrict(options);
  const dataset: CsvDataset = {
    manifest: {
      manifestVersion: '1.0',
      onerosterVersion: '1.1',
      files: Object.fromEntries(fileNames.map((file) => [file, 'bulk'])) as Record<FileName, 'bulk'>,
      properties: { ...district.properties },
    },
    tables: {},
  };
  for (const file of district.files) {
    dataset.tables[file] = { mode: 'bulk', columns: district.columns(file), rows: [...district.rows(file)] };
  }
  return dataset;
}

export type GeneratedCounts = Record<FileName, number>;

/**
 * Generates a district straight into a OneRoster package (a `.zip` or a directory), streaming row by row. Zip
 * entries are dated on the school year's first day unless `modifiedAt` says otherwise, so the same options
 * always give the same bytes. Resolves with the number of rows per file.
 */
export async function writeGeneratedDistrict(
  options: DistrictOptions,
  out: string,
  writeOptions: WritePackageOptions = {},
): Promise<GeneratedCounts> {
  const district = generateDistrict(options);
  const writer = createPackageWriter(out, {
    modifiedAt: new Date(Date.UTC(district.options.schoolYear - 1, 7, 18)),
    ...writeOptions,
  });
  const counts = {} as GeneratedCounts;
  try {
    for (const file of district.files) {
      counts[file] = await writer.writeTable(file, 'bulk', district.columns(file), district.rows(file));
    }
    await writer.close(district.properties);
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
  return counts;
}
