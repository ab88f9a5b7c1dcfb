const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
export const decodeEntities = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

export interface HtmlForm {
  readonly action: string;
  readonly method: string;
  readonly fields: Record<string, string>;
}

/** The forms of a page with their hidden and pre-filled inputs (enough for Passport's own pages). */
export function readForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attributes = match[1] ?? '';
    const action = decodeEntities(/action="([^"]*)"/.exec(attributes)?.[1] ?? '');
    const method = (/method="([^"]*)"/.exec(attributes)?.[1] ?? 'get').toLowerCase();
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
      const value = /value="([^"]*)"/.exec(input[1] ?? '')?.[1] ?? '';
      if (name !== undefined) fields[decodeEntities(name)] = decodeEntities(value);
    }
    forms.push({ action, method, fields });
  }
  return forms;
}

/**
 * A minimal user agent over real HTTP: a cookie jar per host (path-aware), redirects followed by hand so a test
 * sees each hop, forms posted with their fields. It runs no script.
 */
export class Browser {
  readonly #jar = new Map<string, { value: string; path: string }>();
  readonly #fetch: typeof fetch;
  readonly visited: string[] = [];

  /** `fetchImpl`: another host for the requests (an in-process handler instead of the network). */
  constructor(fetchImpl: typeof fetch = fetch) {
    this.#fetch = fetchImpl;
  }

  #key(host: string, name: string, path: string) {
    return `${host}\u0000${name}\u0000${path}`;
  }

  cookieHeader(url: URL): string {
    const pairs: string[] = [];
    for (const [key, cookie] of this.#jar) {
      const [host, name] = key.split('\u0000');
      if (host !== url.host) continue;
      if (
        !(
          url.pathname === cookie.path ||
          url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`)
        )
      )
        continue;
      pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.join('; ');
  }

  cookies(host: string): Map<string, string> {
    const found = new Map<string, string>();
    for (const [key, cookie] of this.#jar) {
      const [cookieHost, name] = key.split('\u0000');
      if (cookieHost === host && name !== undefined) found.set(name, cookie.value);
    }
    return found;
  }

  setCookie(host: string, name: string, value: string, path = '/') {
    this.#jar.set(this.#key(host, name, path), { value, path });
  }

  clearCookies() {
    this.#jar.clear();
  }

  #store(url: URL, response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const path =
        attributes
          .map((item) => item.trim())
          .find((item) => /^path=/i.test(item))
          ?.slice(5) ?? '/';
      const expired =
        /max-age=0/i.test(header) || attributes.some((item) => /^\s*expires=Thu, 01 Jan 1970/i.test(item));
      if (expired || value === '') this.#jar.delete(this.#key(url.host, name, path));
      else this.#jar.set(this.#key(url.host, name, path), { value, path });
    }
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const target = new URL(url);
    this.visited.push(`${init.method ?? 'GET'} ${target.href}`);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(target);
    if (cookie !== '') headers.cookie = cookie;
    let body: string | undefined;
    if (init.form !== undefined) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin ??= target.origin;
    }
    const response = await this.#fetch(target, {
      method: init.method ?? 'GET',
      headers,
      body,
      redirect: 'manual',
    });
    this.#store(target, response);
    return response;
  }

  async submit(pageUrl: string, form: HtmlForm, values: Record<string, string> = {}): Promise<Response> {
    const action = new URL(form.action || pageUrl, pageUrl).href;
    return this.request(action, { method: form.method.toUpperCase(), form: { ...form.fields, ...values } });
  }

  /**
   * Follows redirects from `url` until a page that is not a redirect, or until the next location starts with
   * `stopAt` (the relying party's redirect URI, which nothing serves in these tests).
   */
  async follow(
    url: string,
    options: { stopAt?: string; method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; response: Response; body: string }> {
    let current = url;
    let response = await this.request(current, {
      ...(options.method === undefined ? {} : { method: options.method }),
      ...(options.form === undefined ? {} : { form: options.form }),
    });
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) break;
      await response.body?.cancel();
      current = new URL(location, current).href;
      if (options.stopAt !== undefined && current.startsWith(options.stopAt)) {
        return { url: current, response, body: '' };
      }
      response = await this.request(current);
    }
    return { url: current, response, body: await response.text() };
  }
}
