import { describe, expect, it } from 'vitest';
import { type FilterExpression, formatFilter, quoteFilterValue } from './ast.ts';
import { parseFilter } from './parse-filter.ts';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('parseFilter', () => {
  it('parses a single predicate for every operator', () => {
    for (const operator of ['=', '!=', '>', '>=', '<', '<=', '~'] as const) {
      expect(parseFilter(`familyName${operator}'Jones'`)).toEqual({
        type: 'predicate',
        field: 'familyName',
        operator,
        value: 'Jones',
      });
    }
  });

  it('parses the two-predicate forms of OneRoster 1.1 and more than two predicates', () => {
    expect(parseFilter("role='student' AND familyName~'Jo'")).toEqual({
      type: 'and',
      operands: [
        { type: 'predicate', field: 'role', operator: '=', value: 'student' },
        { type: 'predicate', field: 'familyName', operator: '~', value: 'Jo' },
      ],
    });
    const three = parseFilter("grades='09' OR grades='10' OR grades='11'") as {
      type: string;
      operands: unknown[];
    };
    expect(three.type).toBe('or');
    expect(three.operands).toHaveLength(3);
  });

  it('reads dot paths, doubled quotes, spaces around operators and lowercase junctions', () => {
    expect(parseFilter("school.sourcedId = 'it''s' and metadata.x-y>='1'")).toEqual({
      type: 'and',
      operands: [
        { type: 'predicate', field: 'school.sourcedId', operator: '=', value: "it's" },
        { type: 'predicate', field: 'metadata.x-y', operator: '>=', value: '1' },
      ],
    });
  });

  it('keeps AND, OR and operators inside a quoted value as text', () => {
    expect(parseFilter("title='A AND B OR C>=D'")).toEqual({
      type: 'predicate',
      field: 'title',
      operator: '=',
      value: 'A AND B OR C>=D',
    });
  });

  it('refuses mixing AND and OR with a message that says why', () => {
    try {
      parseFilter("role='student' AND grades='09' OR grades='10'");
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('ONEROSTER_FILTER_MIXED_LOGIC');
      expect((error as { specError: string }).specError).toBe('invalid_filter_field');
      expect((error as { status: number }).status).toBe(400);
      expect((error as Error).message).toMatch(/mixes AND and OR/);
    }
  });

  it.each([
    ['', 'empty'],
    ["familyName='Jones", 'unclosed quote'],
    ['familyName=Jones', 'unquoted value'],
    ["familyName=='Jones'", 'doubled operator'],
    ["familyName'Jones'", 'no operator'],
    ["='Jones'", 'no field'],
    ["role='student' AND", 'dangling junction'],
    ["role='student' XOR role='teacher'", 'unknown junction'],
    ["(role='student')", 'parentheses'],
    ["role='student'role='teacher'", 'no junction'],
  ])('refuses %j (%s) with ONEROSTER_FILTER_SYNTAX', (text) => {
    expect(codeOf(() => parseFilter(text))).toBe('ONEROSTER_FILTER_SYNTAX');
  });

  it('formats back to text that parses to the same tree', () => {
    const expression: FilterExpression = {
      type: 'or',
      operands: [
        { type: 'predicate', field: 'familyName', operator: '=', value: "O'Brien" },
        { type: 'predicate', field: 'givenName', operator: '~', value: "a ' AND b" },
      ],
    };
    expect(parseFilter(formatFilter(expression))).toEqual(expression);
    expect(quoteFilterValue("''")).toBe("''''''");
  });

  it('refuses to format a nested junction', () => {
    const nested: FilterExpression = {
      type: 'and',
      operands: [{ type: 'or', operands: [{ type: 'predicate', field: 'a', operator: '=', value: '1' }] }],
    };
    expect(() => formatFilter(nested)).toThrow(RangeError);
  });
});
