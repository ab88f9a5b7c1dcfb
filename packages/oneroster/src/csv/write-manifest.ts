/** The records of manifest.csv (`propertyName,value`) as the writer produces them. */
import { type FileMode, type FileName, fileNames, manifestHeader } from '../model/files.ts';

export const manifestVersion = '1.0';
export const onerosterVersion = '1.1';

/** True for the properties the writer derives itself (`manifest.version`, `oneroster.version`, `file.*`). */
function isDerivedProperty(name: string): boolean {
  return name === 'manifest.version' || name === 'oneroster.version' || name.startsWith('file.');
}

/**
 * The header, `manifest.version`, `oneroster.version`, `file.<name>` for each of the 13 files in the model's order
 * (`absent` unless written), then the other properties in their given order.
 */
export function manifestRecords(
  modes: Partial<Record<FileName, Exclude<FileMode, 'absent'>>>,
  properties: Readonly<Record<string, string>>,
): string[][] {
  return [
    [...manifestHeader],
    ['manifest.version', manifestVersion],
    ['oneroster.version', onerosterVersion],
    ...fileNames.map((file) => [`file.${file}`, modes[file] ?? 'absent']),
    ...Object.entries(properties).filter(([name]) => !isDerivedProperty(name)),
  ];
}
