/**
 * Parsing the `filter` query parameter (OneRoster 1.1, section 3.4.4): predicates `field<op>'value'` joined by
 * ` AND ` or ` OR `. Beyond 1.1's two predicates, any number is accepted; since the grammar has no parentheses,
 * mixing AND with OR is refused rather than guessed at. A quote inside a value is written twice (`'O''Brien'`).
 * Whitespace around operators and junctions is allowed; AND and OR are matched in any case.
 */
import type { FilterExpression, FilterOperator, FilterPredicate } from './ast.ts';
import { FilterError } from './filter-error.ts';

const fieldPattern = /[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*/y;
const operatorPattern = /!=|>=|<=|=|>|<|~/y;
const junctionPattern = /\s+(AND|OR)\s+/iy;
const spacePattern = /\s*/y;

/** The longest filter text accepted, in characters. */
export const maxFilterLength = 8192;

class Cursor {
  readonly text: string;
  position = 0;

  constructor(text: string) {
    this.text = text;
  }

  match(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.position;
    const match = pattern.exec(this.text);
    if (match !== null) this.position = pattern.lastIndex;
    return match;
  }

  skipSpace(): void {
    this.match(spacePattern);
  }

  get done(): boolean {
    return this.position >= this.text.length;
  }

  fail(expected: string): never {
    const rest = this.text.slice(this.position, this.position + 20);
    const found = rest === '' ? 'the end of the filter' : JSON.stringify(rest);
    throw new FilterError(
      'ONEROSTER_FILTER_SYNTAX',
      `Invalid filter: expected ${expected} at character ${this.position + 1}, found ${found}. ` +
        "A filter is field<op>'value' (op one of = != > >= < <= ~), joined by AND or OR.",
    );
  }
}

function parseValue(cursor: Cursor): string {
  if (cursor.text[cursor.position] !== "'") cursor.fail("a quoted value such as 'text'");
  let value = '';
  let index = cursor.position + 1;
  for (;;) {
    const quote = cursor.text.indexOf("'", index);
    if (quote === -1) {
      cursor.position = cursor.text.length;
      cursor.fail('the closing quote of the value');
    }
    value += cursor.text.slice(index, quote);
    if (cursor.text[quote + 1] === "'") {
      value += "'";
      index = quote + 2;
      continue;
    }
    cursor.position = quote + 1;
    return value;
  }
}

function parsePredicate(cursor: Cursor): FilterPredicate {
  cursor.skipSpace();
  if (cursor.text[cursor.position] === '(') {
    throw new FilterError(
      'ONEROSTER_FILTER_SYNTAX',
      'Invalid filter: parentheses are not part of the OneRoster filter grammar.',
    );
  }
  const field = cursor.match(fieldPattern)?.[0] ?? cursor.fail('a field name');
  cursor.skipSpace();
  const operator = (cursor.match(operatorPattern)?.[0] ??
    cursor.fail('an operator (= != > >= < <= ~)')) as FilterOperator;
  cursor.skipSpace();
  const value = parseValue(cursor);
  return { type: 'predicate', field, operator, value };
}

/** Parses a `filter` value into its tree. Throws `FilterError` (`ONEROSTER_FILTER_SYNTAX`, `..._MIXED_LOGIC`). */
export function parseFilter(text: string): FilterExpression {
  if (text.length > maxFilterLength) {
    throw new FilterError(
      'ONEROSTER_FILTER_SYNTAX',
      `Invalid filter: longer than ${maxFilterLength} characters.`,
    );
  }
  const cursor = new Cursor(text);
  const operands: FilterPredicate[] = [parsePredicate(cursor)];
  let junction: 'and' | 'or' | undefined;
  for (;;) {
    const spaceStart = cursor.position;
    cursor.skipSpace();
    if (cursor.done) break;
    cursor.position = spaceStart;
    const word = cursor.match(junctionPattern)?.[1] ?? cursor.fail('AND or OR between predicates');
    const next = word.toLowerCase() as 'and' | 'or';
    if (junction !== undefined && junction !== next) {
      throw new FilterError(
        'ONEROSTER_FILTER_MIXED_LOGIC',
        'Invalid filter: it mixes AND and OR. The OneRoster filter grammar has no parentheses, so the order would be ' +
          'ambiguous; use only AND or only OR in one filter (and make several requests, or filter the rest yourself).',
      );
    }
    junction = next;
    operands.push(parsePredicate(cursor));
  }
  const [first] = operands;
  if (junction === undefined && first !== undefined) return first;
  return { type: junction ?? 'and', operands };
}
