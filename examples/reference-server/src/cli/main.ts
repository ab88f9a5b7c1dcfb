import { PassportError } from '@passport/oneroster';
export async function main(argv: string[]): Promise<number> {
  console.log('args', argv, typeof PassportError);
  return 0;
}
