import { fetch as undiciFetch } from 'undici';

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decodeEntities = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

export interface AutoPostForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

/** Reads the auto-posting form of a page (the OIDC form post, the deep linking return). */
export function readAutoPostForm(html: string): AutoPostForm | undefined {
  const form = /<form id="lti-auto-post" method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  if (form === null) return undefined;
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decodeEntities(input[1] ?? '')] = decodeEntities(input[2] ?? '');
  }
  return { action: decodeEntities(form[1] ?? ''), fields };
}

/**
 * A minimal user agent over real HTTP: a cookie jar per host, following redirects and auto-posting forms, the way
 * a browser walks an LTI launch. It runs no other script.
 */
export class Browser {
  readonly jar = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  cookieHeader(url: URL): string {
    return [...(this.jar.get(url.host) ?? new Map()).entries()]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  #store(url: URL, response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      let cookies = this.jar.get(url.host);
      if (cookies === undefined) {
        cookies = new Map();
        this.jar.set(url.host, cookies);
      }
      if (/max-age=0/i.test(cookie)) cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const target = new URL(url);
    this.visited.push(`${init.method ?? 'GET'} ${target.origin}${target.pathname}`);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(target);
    if (cookie !== '') headers.cookie = cookie;
    let body: URLSearchParams | undefined;
    if (init.form !== undefined) {
      body = new URLSearchParams(init.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = (await undiciFetch(target, {
      method: init.method ?? 'GET',
      headers,
      body,
      redirect: 'manual',
    })) as unknown as Response;
    this.#store(target, response);
    return response;
  }

  /** Follows redirects and auto-post forms from a response until a page that does neither. */
  async follow(
    response: Response,
    from = 'http://invalid/',
  ): Promise<{ response: Response; body: string; url: string }> {
    let current = response;
    let url = from;
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get('location');
      if (current.status >= 300 && current.status < 400 && location !== null) {
        await current.body?.cancel();
        url = new URL(location, url).href;
        current = await this.request(url);
        continue;
      }
      const body = await current.text();
      const form = readAutoPostForm(body);
      if (form === undefined) return { response: current, body, url };
      url = new URL(form.action, url).href;
      current = await this.request(url, { method: 'POST', form: form.fields });
    }
    throw new Error('too many hops');
  }
}
