/**
 * A JSON request against a running system, as a staff member with `defaultToken` unless headers
 * give another Authorization (or `null` for none). JSON answers are parsed; others (a CSV
 * export) are given as text.
 */
export function createRequester(baseUrl: string, defaultToken: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string | null> = {}) => {
    const merged: Record<string, string | null> = {
      authorization: `Bearer ${defaultToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    };
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null)),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const json = /json/.test(response.headers.get('content-type') ?? 'application/json');
    return { status: response.status, headers: response.headers, body: text ? (json ? JSON.parse(text) : text) : undefined };
  };
}
