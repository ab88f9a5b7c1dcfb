/** Minimal HTML for the few pages sign-on needs: sign-in, consent, refusals, the portal, auto-posting forms. */

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

/** A complete page. `body` is trusted HTML: build it with `escapeHtml` around every value. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
button,.button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid #245;background:#245;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#245}input{font:inherit;padding:.4rem;margin:.2rem 0 .8rem;width:100%;box-sizing:border-box}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:1rem;padding:0;list-style:none}
.tiles a{display:block;padding:1rem;border:1px solid #ccd;border-radius:.6rem;text-decoration:none;color:inherit}
.refusal{border-left:4px solid #b33;padding:.2rem 1rem}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * Headers of every HTML page: no caching, no framing, a strict content security policy, and a `same-origin`
 * referrer policy (no referrer leaves Passport, while its own form posts keep their Origin header, which the CSRF
 * check requires; `no-referrer` would turn it into `null`).
 */
export function htmlHeaders(scriptHashes: readonly string[] = []): Record<string, string> {
  const scripts = scriptHashes.length === 0 ? "'none'" : scriptHashes.map((hash) => `'${hash}'`).join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action *; frame-ancestors 'none'; base-uri 'none'; script-src ${scripts}`,
  };
}

export function htmlResponse(
  status: number,
  title: string,
  body: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(htmlPage(title, body), { status, headers: { ...htmlHeaders(), ...headers } });
}

const autoPostScript = "document.getElementById('auto-post').submit();";

/**
 * A page that posts `fields` to `action` as soon as it loads (SAML HTTP-POST binding, upstream form posts).
 * Without JavaScript the user presses the button. The script is allowed by its hash, nothing else runs.
 */
export async function autoPostResponse(
  action: string,
  fields: Readonly<Record<string, string>>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(autoPostScript));
  const hash = `sha256-${Buffer.from(digest).toString('base64')}`;
  const page = htmlPage(
    'Continue',
    `<form id="auto-post" method="post" action="${escapeHtml(action)}">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>${autoPostScript}</script>`,
  );
  return new Response(page, { status: 200, headers: { ...htmlHeaders([hash]), ...headers } });
}
