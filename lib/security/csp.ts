// The pages' Content-Security-Policy. Runs in the proxy on every page request: string work only.

/** A fresh, unguessable nonce (128 bits, base64). */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * Scripts: only ours, and only those carrying this request's nonce (Next adds it to its own scripts when it
 * finds the nonce in the request's CSP header); 'strict-dynamic' lets those load their chunks. Development
 * needs 'unsafe-eval' (React rebuilds server error stacks with eval). Styles keep 'unsafe-inline': React
 * renders `style` attributes (Tailwind arbitrary values, Next's route announcer, highlight spans), which
 * nonces cannot cover; styles cannot run code, and Markdown never renders raw HTML.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}
