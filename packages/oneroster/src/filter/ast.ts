/**
 * The filter as a tree. `filter=role='student' AND familyName~'Jo'` parses to
 * `{type: 'and', operands: [{type: 'predicate', field: 'role', operator: '=', value: 'student'}, ...]}`.
 * Values are always text here: they become numbers, datetimes or booleans once the field is known
 * (`resolve-filter.ts`).
 */

export const filterOperators = ['=', '!=', '>', '>=', '<', '<=', '~'] as const;
export type FilterOperator = (typeof filterOperators)[number];

export interface FilterPredicate {
  type: 'predicate';
  /** As written: `givenName`, `school.sourcedId`, `metadata.district`. */
  field: string;
  operator: FilterOperator;
  /** The value between the quotes, unescaped. */
  value: string;
}

export interface FilterJunction {
  type: 'and' | 'or';
  operands: FilterExpression[];
}

export type FilterExpression = FilterPredicate | FilterJunction;

/** The predicates of an expression, depth first. */
export function* predicatesOf(expression: FilterExpression): Generator<FilterPredicate> {
  if (expression.type === 'predicate') {
    yield expression;
    return;
  }
  for (const operand of expression.operands) yield* predicatesOf(operand);
}

/** A value as a quoted filter literal: `O'Brien` → `'O''Brien'` (a quote inside is doubled). */
export function quoteFilterValue(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * An expression as `filter` text. A junction nested in another is not expressible in OneRoster's grammar (it has
 * no parentheses), so it throws a `RangeError`.
 */
export function formatFilter(expression: FilterExpression): string {
  if (expression.type === 'predicate') {
    return `${expression.field}${expression.operator}${quoteFilterValue(expression.value)}`;
  }
  const joiner = expression.type === 'and' ? ' AND ' : ' OR ';
  return expression.operands
    .map((operand) => {
      if (operand.type !== 'predicate') {
        throw new RangeError(
          'A OneRoster filter cannot nest AND inside OR (or OR inside AND): it has no parentheses.',
        );
      }
      return formatFilter(operand);
    })
    .join(joiner);
}
