// Small formatting helpers for document chips and the meter.
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const formatCount = (n: number, locale: string) => new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-US').format(n);
