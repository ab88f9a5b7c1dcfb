/** Signs in through Passport's password form over plain HTTP and returns the cookies to send (a tiny cookie jar). */
export async function signInOverHttp(
  baseUrl: string,
  account: { district: string; username: string; password: string },
  returnTo = '/console',
): Promise<{ cookie: string; location: string | null; status: number }> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) jar.set(name.trim(), value.join('='));
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const page = await fetch(
    `${baseUrl}/sso/signin?district=${encodeURIComponent(account.district)}&return_to=${encodeURIComponent(returnTo)}`,
  );
  keep(page);
  const body = await page.text();
  const form = /<form[^>]*action="([^"]*\/signin\/password)"[^>]*>([\s\S]*?)<\/form>/.exec(body);
  if (form === null) throw new Error('no password form on the sign-in page');
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name)
      fields.set(name, value.replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"'));
  }
  fields.set('username', account.username);
  fields.set('password', account.password);
  const posted = await fetch(new URL(form[1] ?? '', baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: cookie(),
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(baseUrl).origin,
    },
    body: fields,
  });
  keep(posted);
  return { cookie: cookie(), location: posted.headers.get('location'), status: posted.status };
}
