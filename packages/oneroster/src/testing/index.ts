// @passport/oneroster/testing: fast-check arbitraries of valid OneRoster CSV rows, tables and whole datasets, for
// property tests of code that consumes OneRoster data (importers, adapters, exporters). Needs `fast-check`.
export * from './arbitraries.ts';
