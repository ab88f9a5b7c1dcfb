/**
 * Splits a script of SQL statements at the semicolons that end them: not inside string literals (`'...'`,
 * `E'...'` with backslash escapes), quoted identifiers (`"..."`), dollar-quoted bodies (`$tag$...$tag$`), line
 * comments (`--`) or block comments (`/* ... *\/`, nested as PostgreSQL nests them). Empty statements are dropped;
 * each statement is returned trimmed, without its semicolon.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let index = 0;
  const push = (end: number) => {
    const statement = script.slice(start, end).trim();
    if (statement !== '' && !/^(?:--[^\n]*\n?|\/\*[\s\S]*?\*\/|\s)*$/.test(statement))
      statements.push(statement);
  };
  while (index < script.length) {
    const character = script[index];
    const next = script[index + 1];
    if (character === ';') {
      push(index);
      start = index + 1;
      index++;
    } else if (character === '-' && next === '-') {
      const end = script.indexOf('\n', index);
      index = end === -1 ? script.length : end + 1;
    } else if (character === '/' && next === '*') {
      let depth = 1;
      index += 2;
      while (index < script.length && depth > 0) {
        if (script.startsWith('/*', index)) {
          depth++;
          index += 2;
        } else if (script.startsWith('*/', index)) {
          depth--;
          index += 2;
        } else index++;
      }
    } else if (character === "'") {
      const escapes =
        index > 0 && /[eE]/.test(script[index - 1] ?? '') && !/\w/.test(script[index - 2] ?? '');
      index = endOfQuoted(script, index, "'", escapes);
    } else if (character === '"') {
      index = endOfQuoted(script, index, '"', false);
    } else if (character === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(index));
      // `$1` is a parameter, not a dollar quote; a tag cannot follow an identifier character.
      if (tag === null || /\w/.test(script[index - 1] ?? '')) index++;
      else {
        const end = script.indexOf(tag[0], index + tag[0].length);
        index = end === -1 ? script.length : end + tag[0].length;
      }
    } else index++;
  }
  push(script.length);
  return statements;
}

/** The index just past the closing quote; a doubled quote is an escaped one (and `\` escapes in `E'...'`). */
function endOfQuoted(script: string, open: number, quote: string, backslashEscapes: boolean): number {
  let index = open + 1;
  while (index < script.length) {
    const character = script[index];
    if (backslashEscapes && character === '\\') index += 2;
    else if (character === quote) {
      if (script[index + 1] === quote) index += 2;
      else return index + 1;
    } else index++;
  }
  return script.length;
}
