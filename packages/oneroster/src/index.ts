// @passport/oneroster: the public API. Everything importable is re-exported here.

// CSV packages: read, validate, stream, write.
export type { CsvDataset, CsvRow, CsvTable, Manifest } from './csv/dataset.ts';
export {
  type OneRosterCsvFinding,
  type OneRosterCsvFindingCode,
  oneRosterCsvFindingCodes,
  severityOf,
} from './csv/finding-codes.ts';
export type { Finding, Severity } from './csv/findings.ts';
export { type PackageStream, readPackage, type StreamedRow, streamPackage } from './csv/read.ts';
export { openPackage, type PackageEntry, type PackageSource } from './csv/source.ts';
export {
  type DataFileMode,
  type ValidateOptions,
  type ValidationProgress,
  type ValidationReport,
  validatePackage,
} from './csv/validate.ts';
export {
  createPackageWriter,
  type PackageFormat,
  type PackageWriter,
  type TableRows,
  type WriteErrorCode,
  type WritePackageOptions,
  writePackage,
} from './csv/write.ts';

// Errors that stop reading or writing altogether (problems inside the data are findings, not errors).
export { OneRosterError, type OneRosterErrorCode, oneRosterErrorCodes } from './errors.ts';
// A synthetic district, for tests, demos and benchmarks.
export {
  type DistrictOptions,
  type GeneratedCounts,
  type GeneratedDistrict,
  generateDataset,
  generateDistrict,
  writeGeneratedDistrict,
} from './generate/district.ts';
// Custom CSV layouts for partners.
export { type ExportResult, exportCustom } from './mapping/export.ts';
export { loadMapping, type MappingErrorCode, parseMapping } from './mapping/parse-mapping.ts';
export type { Mapping, MappingInput } from './mapping/schema.ts';
export {
  ConversionError,
  type ConversionErrorCode,
  type CsvToJsonOptions,
  csvRowToEntity,
  entityToCsvRow,
  guidRef,
} from './model/convert.ts';
// The model: the CSV binding's files and columns, vocabularies, the JSON binding's schemas and conversions.
export * from './model/files.ts';
export * from './model/formats.ts';
export { collectionOfGuidRefType, guidRefHref, guidRefTypeOfFile } from './model/json-binding.ts';
export * from './model/multivalue.ts';
export * from './model/schemas.ts';
export * from './model/vocabulary.ts';
