/** Server URLs: validation, one normal form (used as the SecretStorage key) and loopback detection. */

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:7420';
const TOKEN_KEY_PREFIX = 'hangar.token:';

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * http(s) only, no credentials, query or fragment; lower-case host, default port dropped, no trailing
 * slash. A path prefix is kept (a server behind a reverse proxy at https://host/hangar).
 */
export function checkServerUrl(input: string): UrlCheck {
  const text = input.trim();
  if (!text) return { ok: false, message: 'Enter the server URL, like http://127.0.0.1:7420' };
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, message: 'Not a URL. Enter something like http://127.0.0.1:7420 or https://hangar.example.com' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { ok: false, message: 'The URL must start with http:// or https://' };
  }
  if (u.username || u.password) {
    return { ok: false, message: 'Leave credentials out of the URL; the token is asked for next' };
  }
  if (u.search || u.hash) return { ok: false, message: 'The URL must not have a query (?) or fragment (#)' };
  if (!u.hostname) return { ok: false, message: 'The URL needs a host name' };
  const path = u.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${u.protocol}//${u.host}${path}` };
}

export function normaliseServerUrl(input: string): string {
  const r = checkServerUrl(input);
  if (!r.ok) throw new Error(r.message);
  return r.url;
}

/** Input-box validation: undefined when valid, otherwise the message to show. */
export function validateServerUrlInput(input: string): string | undefined {
  const r = checkServerUrl(input);
  return r.ok ? undefined : r.message;
}

/** One SecretStorage key per server, so several windows agree on it atomically. */
export function tokenSecretKey(serverUrl: string): string {
  return `${TOKEN_KEY_PREFIX}${normaliseServerUrl(serverUrl)}`;
}

export function isLoopbackUrl(serverUrl: string): boolean {
  const r = checkServerUrl(serverUrl);
  if (!r.ok) return false;
  const host = new URL(r.url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export function portOf(serverUrl: string): number {
  const u = new URL(normaliseServerUrl(serverUrl));
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}
