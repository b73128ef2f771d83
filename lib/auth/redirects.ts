// Where to send the browser after signing in. Only paths on this site: an absolute or protocol-relative
// URL here would make the sign-in page an open redirect.
const BASE = 'http://internal.invalid';

/** `value` if it is a same-origin relative path (e.g. "/c/123?x=1"), else "/". */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Coming back to the auth pages themselves would loop.
  return /^\/(sign-in|sign-up)(\/|$|\?)/.test(path) ? '/' : path;
}
