/** Parameters that may travel in a query string (the seed's calls do) and must never reach a log. */
const SECRET_PARAMS = new Set(['password', 'password_1', 'password_2', 'vcode']);

/**
 * A parameter name as the query parser reads it (`pass%77ord` and `password[]` are `password`),
 * compared without case; a name that does not decode is treated as a secret.
 */
function isSecretName(raw: string): boolean {
  let name: string;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return true;
  }
  const base = name.replace(/[[.][\s\S]*$/, '').trim();
  return SECRET_PARAMS.has(base.toLowerCase());
}

/** The URL for a log line: the value of every secret query parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      return isSecretName(name) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}
