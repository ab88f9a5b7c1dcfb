/*
 * Server-rendered pages of the demo LMS: one layout (skip link, banner, navigation, main landmark), escaped text,
 * styles inline (no CDN, nothing fetched from elsewhere).
 */

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/** A template tag that escapes every interpolated value unless it is `Html` (already built markup). */
class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type Interpolated = string | number | Html | undefined | null | false | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map((item: Interpolated) => render(item)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0] ?? '';
  for (const [index, value] of values.entries()) out += render(value) + (strings[index + 1] ?? '');
  return new Html(out);
}

/** Inline script or style content, unescaped (only for constants of this module). */
export const raw = (value: string): Html => new Html(value);

const styles = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#f6f7f9}
a{color:#0b4fa3}
a:focus,button:focus,input:focus,select:focus,iframe:focus{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
header{background:#1d3557;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff}header nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
header .who{margin-left:auto;display:flex;gap:.75rem;align-items:center}
main{max-width:72rem;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid #d8dde3;border-radius:.4rem;padding:1rem;margin:1rem 0}
button,.button{font:inherit;padding:.35rem .8rem;border:1px solid #0b4fa3;background:#0b4fa3;color:#fff;border-radius:.3rem;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b4fa3}
label{display:block;font-weight:600;margin-top:.6rem}
input[type=text],input[type=url],select,textarea{font:inherit;width:100%;max-width:40rem;padding:.35rem;border:1px solid #8a949e;border-radius:.25rem}
fieldset{border:1px solid #d8dde3;margin:.6rem 0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d8dde3;padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f5}
.status{background:#e7f4ea;border:1px solid #7bb38a;padding:.5rem 1rem;border-radius:.3rem}
.error{background:#fdecea;border:1px solid #d9534f;padding:.5rem 1rem;border-radius:.3rem}
.muted{color:#59636e;font-size:.9em}
ul.activities{list-style:none;padding:0}ul.activities li{padding:.5rem 0;border-bottom:1px solid #eef1f5;display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}
ul.activities li .title{flex:1 1 16rem;font-weight:600}
iframe.tool{width:100%;height:70vh;border:1px solid #8a949e;border-radius:.3rem;background:#fff}
.scroll{overflow-x:auto}
@media (max-width:40rem){header .who{margin-left:0}}
`;

export interface PageViewer {
  readonly name: string;
  readonly isAdministrator: boolean;
  readonly csrfToken: string;
}

interface PageOptions {
  title: string;
  /** The LMS's own path prefix (`/demo-lms`), for links. */
  base: string;
  viewer?: PageViewer | undefined;
  body: Html;
  head?: Html | undefined;
  status?: number;
}

const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // LMS pages (admin forms included) are framed only by the LMS itself: no clickjacking from other sites.
  'content-security-policy': "frame-ancestors 'self'",
} as const;

/** A whole page in the LMS layout. */
export function page(options: PageOptions): Response {
  const { base, viewer } = options;
  const navigation =
    viewer === undefined
      ? html``
      : html`<nav aria-label="Main"><ul>
<li><a href="${base}/courses">Courses</a></li>
${viewer.isAdministrator ? html`<li><a href="${base}/admin/tools">LTI tools</a></li>` : ''}
</ul></nav>
<div class="who"><span>Signed in as <strong>${viewer.name}</strong></span>
<form method="post" action="${base}/sign-out"><input type="hidden" name="_csrf" value="${viewer.csrfToken}"><button type="submit" class="secondary">Sign out</button></form></div>`;
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Demo LMS</title>
<style>${raw(styles)}</style>
${options.head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a href="${base}/"><strong>Demo LMS</strong></a>${navigation}</header>
<main id="main" tabindex="-1">
${options.body}
</main>
</body>
</html>
`;
  return new Response(document.value, { status: options.status ?? 200, headers: htmlHeaders });
}

/** A 303 redirect (after a form post, the browser follows with GET). */
export function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store', ...headers } });
}
