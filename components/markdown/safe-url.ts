// Which links an answer may contain: only absolute http(s) and mailto URLs. Everything else
// (javascript:, data:, relative paths, protocol-relative //host) is rendered as plain text.
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

export function safeHref(href: string | null | undefined): string | null {
  if (typeof href !== 'string') return null;
  const trimmed = href.trim();
  // Control characters and whitespace inside a scheme are classic filter bypasses: refuse them.
  // eslint-disable-next-line no-control-regex
  if (trimmed === '' || /[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  return url.href;
}

export const LINK_REL = 'noopener noreferrer nofollow';
