/** Minimal HTML building for the few pages LTI needs (error pages, auto-posting forms, storage bridges). */

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/** JSON for embedding inside a `<script>` element: `<`, `>` and `&` escaped so no string can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function htmlPage(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}code{background:#f2f2f2;padding:.1rem .3rem;border-radius:.2rem}</style>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

export const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * A page that posts `fields` to `action` as soon as it loads (the OIDC `form_post` response mode and the deep
 * linking return). Without JavaScript the user presses the button.
 */
export function autoPostForm(
  action: string,
  fields: Readonly<Record<string, string>>,
  title = 'Continue',
): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return htmlPage(
    title,
    `<form id="lti-auto-post" method="post" action="${escapeHtml(action)}">
${inputs}
<noscript><button type="submit">${escapeHtml(title)}</button></noscript>
</form>
<script>document.getElementById('lti-auto-post').submit();</script>`,
  );
}
