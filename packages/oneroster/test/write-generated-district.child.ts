/**
 * Run by generate-streaming.test.ts in a child process with a small heap:
 *   node --max-old-space-size=<MB> --conditions=@passport/source write-generated-district.child.ts <mode> <students> <out>
 * mode `stream` writes through writeGeneratedDistrict; mode `hold` builds the dataset in memory first (the control).
 * Prints the row counts as JSON.
 */
import { writePackage } from '../src/csv/write.ts';
import { generateDataset, writeGeneratedDistrict } from '../src/generate/district.ts';

const [mode, students, out] = process.argv.slice(2);
const options = { students: Number(students), seed: 'streaming' };
if (out === undefined) throw new Error('usage: <stream|hold> <students> <out>');
if (mode === 'hold') {
  const dataset = generateDataset(options);
  await writePackage(dataset, out);
  process.stdout.write(`${JSON.stringify({ users: dataset.tables.users?.rows.length })}\n`);
} else {
  process.stdout.write(`${JSON.stringify(await writeGeneratedDistrict(options, out))}\n`);
}
