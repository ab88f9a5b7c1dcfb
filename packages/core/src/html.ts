/**
 * Safe HTML for server-rendered pages. `html` is a tagged template: every interpolated value is escaped unless it
 * is itself `Html` (built by `html` or `trustedHtml`); arrays are joined; `undefined`, `null` and `false` render
 * nothing. Pages built only from `html` cannot carry an unescaped value by accident.
 */

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes the five characters that matter in HTML text and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

const htmlBrand = Symbol.for('passport.html');

/** A fragment of HTML that is already safe to place in a page. */
export interface Html {
  readonly [htmlBrand]: true;
  readonly value: string;
  toString(): string;
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function makeHtml(value: string): Html {
  return { [htmlBrand]: true, value, toString: () => value };
}

export function isHtml(value: unknown): value is Html {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[htmlBrand] === true
  );
}

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  if (isHtml(value)) return value.value;
  return escapeHtml(String(value));
}

/** The tagged template: `` html`<p>${name}</p>` `` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index += 1) {
    out += render(values[index]) + (strings[index + 1] ?? '');
  }
  return makeHtml(out);
}

/** Marks a string the caller vouches for (a constant, or markup built elsewhere with escaping) as HTML. */
export function trustedHtml(value: string): Html {
  return makeHtml(value);
}
