import { type Html, type HtmlValue, html } from '@passport/core';

export interface NavItem {
  href: string;
  label: string;
}

export interface PageOptions {
  title: string;
  /** The signed-in person, shown with a sign-out button. */
  who?: { name: string; role: string; csrfToken: string };
  nav?: readonly NavItem[];
  /** The current path: its nav item gets `aria-current="page"`. */
  path?: string;
  body: HtmlValue;
  status?: number;
  headers?: Record<string, string>;
}

/** Headers of every console page: no caching, no framing by other sites, a strict content security policy. */
export const pageHeaders: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** A complete console page: skip link, header with navigation and who is signed in, the main content. */
export function renderPage(options: PageOptions): Response {
  const nav = options.nav ?? [];
  // The current item is the one with the longest href the path starts with (`/imports/1` is Imports, not Overview).
  const matches = nav
    .map((item) => item.href)
    .filter(
      (href) => options.path !== undefined && (options.path === href || options.path.startsWith(`${href}/`)),
    );
  const best = matches.sort((a, b) => b.length - a.length)[0];
  const current = (href: string) => href === best;
  const body: Html = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Passport</title>
<link rel="stylesheet" href="/assets/passport.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a href="/console">Passport</a>
  ${
    nav.length === 0
      ? ''
      : html`<nav aria-label="Console"><ul>${nav.map(
          (item) =>
            html`<li><a href="${item.href}"${current(item.href) ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
        )}</ul></nav>`
  }
  ${
    options.who === undefined
      ? ''
      : html`<div class="who"><span>${options.who.name} (${options.who.role})</span>
    <form method="post" action="/console/signout"><input type="hidden" name="_csrf" value="${options.who.csrfToken}"><button type="submit">Sign out</button></form></div>`
  }
</header>
<main id="main">
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`;
  return new Response(body.value, {
    status: options.status ?? 200,
    headers: { ...pageHeaders, ...options.headers },
  });
}

export function redirect(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store', ...headers } });
}

/** Formats a date for people (UTC, minutes). */
export function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
