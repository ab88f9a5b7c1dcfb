/** Plain, server-rendered, accessible HTML: real labels, one h1 per page, errors announced with role="alert". */

function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A tagged template that escapes every interpolation unless it is already `Html`. */
export interface Html {
  readonly html: string;
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return { html: out };
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && 'html' in value) return (value as Html).html;
  return escapeHtml(value);
}

export function page(
  title: string,
  body: Html,
  options: { status?: number; headers?: Record<string, string> } = {},
): Response {
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Coursera simulator</title>
<style>
body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
label{display:block;margin-top:.75rem}input{font:inherit;padding:.25rem}button{font:inherit;margin-top:1rem;padding:.4rem 1rem}
[role=alert]{border:2px solid #b00020;padding:.5rem 1rem}
</style>
</head>
<body>
<header><p>Coursera simulator <small>(development stand-in for Coursera)</small></p></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
  const headers = new Headers(options.headers);
  headers.set('content-type', 'text/html; charset=utf-8');
  return new Response(document.html, { status: options.status ?? 200, headers });
}

export function alert(message: string | undefined): Html {
  return message === undefined ? html`` : html`<div role="alert"><p>${message}</p></div>`;
}

export function redirect(location: string | URL, headers: Record<string, string> = {}): Response {
  const all = new Headers(headers);
  all.set('location', String(location));
  return new Response(null, { status: 303, headers: all });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const all = new Headers(headers);
  all.set('content-type', 'application/json');
  return new Response(JSON.stringify(body), { status, headers: all });
}

/** Coursera's error body. */
export function apiError(
  status: number,
  errorCode: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json({ errorCode, message, details: null }, status, headers);
}
