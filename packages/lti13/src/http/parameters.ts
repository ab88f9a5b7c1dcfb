/** Reads request parameters: the query of a GET, the urlencoded (or multipart) form of a POST. */
export async function readParameters(request: Request): Promise<URLSearchParams> {
  if (request.method === 'GET' || request.method === 'HEAD') return new URL(request.url).searchParams;
  const type = request.headers.get('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(await request.text());
  if (type.startsWith('multipart/form-data')) {
    const form = await request.formData();
    const parameters = new URLSearchParams();
    for (const [name, value] of form) if (typeof value === 'string') parameters.append(name, value);
    return parameters;
  }
  return new URLSearchParams();
}

/** The first value of a parameter, `undefined` when absent or empty. */
export function parameter(parameters: URLSearchParams, name: string): string | undefined {
  const value = parameters.get(name);
  return value === null || value === '' ? undefined : value;
}
