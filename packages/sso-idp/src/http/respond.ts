/** A redirect whose headers stay mutable (unlike `Response.redirect`), so cookies can be added later. */
export function redirect(location: string, status = 303, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { location, 'cache-control': 'no-store', ...headers } });
}

/** The response with these `Set-Cookie` headers appended (copied first when its headers are immutable). */
export function withCookies(response: Response, cookies: readonly (string | undefined)[]): Response {
  const values = cookies.filter((cookie): cookie is string => cookie !== undefined);
  if (values.length === 0) return response;
  let target = response;
  try {
    for (const cookie of values) target.headers.append('set-cookie', cookie);
    return target;
  } catch {
    const headers = new Headers(response.headers);
    for (const cookie of values) headers.append('set-cookie', cookie);
    target = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
    return target;
  }
}
