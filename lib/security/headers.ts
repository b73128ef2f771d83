// Headers for every response (pages, API, assets), applied by next.config.ts `headers()`. The pages'
// nonce CSP comes from the proxy (./csp); API responses get a deny-everything CSP of their own, since a
// JSON or text body opened directly in a tab must never run or embed anything.

export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // Nothing here uses these; clipboard stays allowed for the copy buttons.
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()' },
];

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** What next.config.ts gives every /api response, for the routes served on node:http before Next's router. */
export const API_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key, h.value])),
  'Content-Security-Policy': API_CSP,
};
