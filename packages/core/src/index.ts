export { PassportError, type PassportErrorOptions } from './errors.ts';
export { escapeHtml, type Html, type HtmlValue, html, isHtml, trustedHtml } from './html.ts';
export { type Clock, type GenerateId, randomId, systemClock } from './ports.ts';
export type { SqlClient } from './sql.ts';
