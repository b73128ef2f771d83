import { describe, expect, it } from 'vitest';
import { safeHref } from '@/components/markdown/safe-url';

describe('safeHref', () => {
  it('allows http, https and mailto', () => {
    expect(safeHref('https://kimi.moonshot.cn/')).toBe('https://kimi.moonshot.cn/');
    expect(safeHref('http://example.com/a?b=1#c')).toBe('http://example.com/a?b=1#c');
    expect(safeHref('mailto:someone@example.com')).toBe('mailto:someone@example.com');
    expect(safeHref('  HTTPS://Example.com  ')).toBe('https://example.com/');
  });

  it('refuses scripts, data and other schemes', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'file:///etc/passwd', 'ftp://x.org']) {
      expect(safeHref(href)).toBeNull();
    }
  });

  it('refuses relative, protocol-relative and obfuscated URLs', () => {
    for (const href of [
      '/admin',
      '#top',
      '//evil.com',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0001javascript:alert(1)',
      'https:',
      '',
      null,
      undefined,
    ]) {
      expect(safeHref(href)).toBeNull();
    }
  });
});
