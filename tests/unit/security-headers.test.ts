import { describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER, clientIp } from '@/lib/security/client-ip';
import { contentSecurityPolicy, createNonce } from '@/lib/security/csp';
import { isSameOrigin, sameOriginOrResponse } from '@/lib/security/csrf';

describe('content security policy', () => {
  it('allows scripts only by nonce, with no inline or eval in production', () => {
    const nonce = createNonce();
    const csp = contentSecurityPolicy(nonce, false);
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "connect-src 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(contentSecurityPolicy(nonce, true)).toContain("'unsafe-eval'");
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const a = createNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(createNonce()).not.toBe(a);
  });
});

describe('CSRF: same-origin writes only', () => {
  const post = (headers: Record<string, string>, url = 'http://chat.example/api/conversations/1') =>
    new Request(url, { method: 'POST', headers: { host: 'chat.example', ...headers } });

  it('accepts our own origin, and non-browser clients that send neither Origin nor Sec-Fetch-Site', () => {
    expect(isSameOrigin(post({ origin: 'http://chat.example' }), false)).toBe(true);
    expect(isSameOrigin(post({ 'sec-fetch-site': 'same-origin' }), false)).toBe(true);
    expect(isSameOrigin(post({}), false)).toBe(true);
  });

  it('refuses other origins, the opaque "null" origin, and cross-site fetches without Origin', () => {
    expect(isSameOrigin(post({ origin: 'http://evil.example' }), false)).toBe(false);
    expect(isSameOrigin(post({ origin: 'http://chat.example.evil.example' }), false)).toBe(false);
    expect(isSameOrigin(post({ origin: 'null' }), false)).toBe(false);
    expect(isSameOrigin(post({ 'sec-fetch-site': 'cross-site' }), false)).toBe(false);
    expect(isSameOrigin(post({ 'sec-fetch-site': 'same-site' }), false)).toBe(false);
  });

  it('trusts X-Forwarded-Host only behind a trusted proxy', () => {
    const req = post({ origin: 'https://public.example', 'x-forwarded-host': 'public.example' });
    expect(isSameOrigin(req, false)).toBe(false);
    expect(isSameOrigin(req, true)).toBe(true);
  });

  it('answers a cross-site write with 403 forbidden, and leaves reads and /api/auth alone', async () => {
    const refused = sameOriginOrResponse(post({ origin: 'http://evil.example' }));
    expect(refused?.status).toBe(403);
    expect(await refused?.json()).toMatchObject({ error: { code: 'forbidden', retryable: false } });
    const evil = { host: 'chat.example', origin: 'http://evil.example' };
    expect(sameOriginOrResponse(new Request('http://chat.example/api/conversations', { headers: evil }))).toBeNull();
    expect(sameOriginOrResponse(new Request('http://chat.example/api/auth/signout', { method: 'POST', headers: evil }))).toBeNull();
    expect(sameOriginOrResponse(new Request('http://chat.example/api/chat', { method: 'DELETE', headers: evil }))?.status).toBe(403);
  });
});

describe('client address', () => {
  const headers = new Headers({ [CLIENT_IP_HEADER]: '10.0.0.7', 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });

  it('uses the socket address unless a proxy is trusted, then the proxy-added (last) X-Forwarded-For entry', () => {
    expect(clientIp(headers, false)).toBe('10.0.0.7');
    expect(clientIp(headers, true)).toBe('203.0.113.9');
    expect(clientIp(new Headers({ 'x-forwarded-for': '6.6.6.6' }), false)).toBe('unknown');
  });
});
