/** `{column}` templates: `{givenName} {familyName}`; `{{` and `}}` stand for literal braces. */

export type TemplatePart = { text: string } | { column: string };

/** The parts of a template, or a message saying what is wrong with it. */
export function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let text = '';
  const pattern = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;
  let last = 0;
  for (const match of template.matchAll(pattern)) {
    text += template.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === '{{') text += '{';
    else if (match[0] === '}}') text += '}';
    else if (match[1] !== undefined) {
      const column = match[1].trim();
      if (column === '') return `empty placeholder at position ${match.index}`;
      if (text !== '') parts.push({ text });
      text = '';
      parts.push({ column });
    } else
      return `unmatched "${match[0]}" at position ${match.index} (write "${match[0]}${match[0]}" for a brace)`;
  }
  text += template.slice(last);
  if (text !== '') parts.push({ text });
  return parts;
}

export function renderTemplate(parts: readonly TemplatePart[], cell: (column: string) => string): string {
  let result = '';
  for (const part of parts) result += 'text' in part ? part.text : cell(part.column);
  return result;
}
