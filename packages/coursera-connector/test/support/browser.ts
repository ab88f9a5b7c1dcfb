/**
 * A tiny browser for the simulator's learner pages: a cookie jar, redirects followed within the simulator, and
 * forms read from the server-rendered HTML (the pages are plain enough for that).
 */
export interface Browser {
  /** GET a URL, following redirects within the simulator; stops at a redirect that leaves it. */
  open(url: string | URL): Promise<PageResult>;
  /** Submits the form whose action matches, with the page's own field values overridden by `fields`. */
  submit(
    page: PageResult,
    action: string,
    fields?: Record<string, string>,
    button?: Record<string, string>,
  ): Promise<PageResult>;
}

export interface PageResult {
  url: string;
  status: number;
  html: string;
  /** Set when a redirect left the simulator (the return to the LMS). */
  leftTo: string | undefined;
}

export function createBrowser(origin: string, send: typeof fetch = fetch): Browser {
  const cookies = new Map<string, string>();
  const request = async (url: URL, init: RequestInit): Promise<PageResult> => {
    let current = url;
    let options = init;
    for (let hops = 0; hops < 10; hops++) {
      const headers = new Headers(options.headers);
      if (cookies.size > 0)
        headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
      const response = await send(current, { ...options, headers, redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...value] = pair!.split('=');
        cookies.set(name!.trim(), value.join('='));
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.arrayBuffer();
        const next = new URL(location, current);
        if (next.origin !== new URL(origin).origin) {
          return { url: current.toString(), status: response.status, html: '', leftTo: next.toString() };
        }
        current = next;
        options = { method: 'GET' };
        continue;
      }
      return {
        url: current.toString(),
        status: response.status,
        html: await response.text(),
        leftTo: undefined,
      };
    }
    throw new Error('too many redirects');
  };
  return {
    open: (url) => request(new URL(url, origin), { method: 'GET' }),
    submit(page, action, fields = {}, button = {}) {
      const form = findForm(page.html, action);
      const body = new URLSearchParams({ ...form, ...fields, ...button });
      return request(new URL(action, page.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    },
  };
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The named inputs (with their values) and selects (first option) of the form posting to `action`. */
export function findForm(html: string, action: string): Record<string, string> {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((match) => decodeEntities(match[1]!) === action);
  if (form === undefined) throw new Error(`no form posting to ${action} in:\n${html}`);
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
    const value = /value="([^"]*)"/.exec(input[1]!)?.[1];
    if (name !== undefined) fields[decodeEntities(name)] = decodeEntities(value ?? '');
  }
  for (const select of form[2]!.matchAll(/<select[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const first = /<option value="([^"]*)"/.exec(select[2]!)?.[1];
    if (first !== undefined) fields[decodeEntities(select[1]!)] = decodeEntities(first);
  }
  return fields;
}

/** The text of the first element with role="alert", if any. */
export function alertText(html: string): string | undefined {
  const match = /<div role="alert">([\s\S]*?)<\/div>/.exec(html);
  return match === undefined || match === null
    ? undefined
    : decodeEntities(match[1]!.replace(/<[^>]+>/g, '').trim());
}
