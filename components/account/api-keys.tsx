'use client';
import { useId, useState } from 'react';
import { createApiKey, revokeApiKey } from '@/components/api/client';
import { useI18n } from '@/components/i18n-provider';
import { buttonClass } from '@/components/ui/button';
import type { ApiKeySummary } from '@/lib/gateway/keys';

const EXPIRY_DAYS = [30, 90, 365] as const;

const inputClass =
  'block w-full rounded-lg border border-line bg-bg px-3 py-2 text-sm text-fg shadow-xs outline-none ' +
  'placeholder:text-fg-faint focus:border-accent focus:ring-2 focus:ring-accent/20';

type Status = 'active' | 'revoked' | 'expired';
const statusOf = (k: ApiKeySummary, now: number): Status =>
  k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) <= now ? 'expired' : 'active';

/** The account page's personal API keys: create (the secret shown once), list with last use, revoke. */
export function ApiKeys({ initial, baseUrl, notice }: { initial: ApiKeySummary[]; baseUrl: string; notice: 'accessOff' | 'instanceOff' | null }) {
  const { t, locale } = useI18n();
  const id = useId();
  const [keys, setKeys] = useState(initial);
  const [name, setName] = useState('');
  const [days, setDays] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const date = (iso: string | null, fallback: string) => (iso ? new Date(iso).toLocaleString(locale) : fallback);
  const now = Date.now();

  async function create(event: React.FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 60) return setError(t('apiKeys.errors.invalid_name'));
    setBusy(true);
    setError(null);
    const result = await createApiKey({ name: trimmed, expiresInDays: days ? Number(days) : null });
    setBusy(false);
    if (!result.ok) {
      const max = result.error.params?.max;
      return setError(result.error.detail === 'too_many_keys' ? t('apiKeys.errors.too_many_keys', { max: String(max) }) : t('apiKeys.errors.failed'));
    }
    setKeys((list) => [result.value.key, ...list]);
    setMade({ name: result.value.key.name, secret: result.value.secret });
    setCopied(false);
    setName('');
  }

  async function revoke(key: ApiKeySummary) {
    if (!window.confirm(t('apiKeys.revokeConfirm', { name: key.name }))) return;
    const result = await revokeApiKey(key.id);
    if (!result.ok) return setError(t('apiKeys.errors.failed'));
    setKeys((list) => list.map((k) => (k.id === key.id ? { ...k, revokedAt: new Date().toISOString() } : k)));
  }

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-fg-soft">{t('apiKeys.description', { baseUrl })}</p>
      {notice && (
        <p role="status" className="rounded-md bg-amber-100 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {t(`apiKeys.${notice}`)}
        </p>
      )}
      <form onSubmit={create} className="flex flex-wrap items-end gap-3" aria-describedby={error ? `${id}-error` : undefined}>
        <label className="min-w-48 flex-1 text-sm font-medium">
          {t('apiKeys.name')}
          <input
            className={`mt-1.5 ${inputClass}`}
            value={name}
            maxLength={60}
            placeholder={t('apiKeys.namePlaceholder')}
            onChange={(e) => setName(e.target.value)}
            data-testid="api-key-name"
          />
        </label>
        <label className="text-sm font-medium">
          {t('apiKeys.expiry')}
          <select className={`mt-1.5 ${inputClass}`} value={days} onChange={(e) => setDays(e.target.value)}>
            <option value="">{t('apiKeys.expiryNever')}</option>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={String(d)}>
                {t('apiKeys.expiryDays', { days: String(d) })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass('primary')} disabled={busy}>
          {busy ? t('apiKeys.creating') : t('apiKeys.create')}
        </button>
      </form>
      {error && (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {made && (
        <div role="status" className="flex flex-col gap-2 rounded-lg border border-accent/40 bg-muted p-4 text-sm">
          <p className="font-medium">{t('apiKeys.createdTitle', { name: made.name })}</p>
          <p className="text-fg-soft">{t('apiKeys.createdNote')}</p>
          <code data-testid="api-key-secret" className="break-all rounded bg-bg px-2 py-1 font-mono text-xs">
            {made.secret}
          </code>
          <div className="flex gap-2">
            <button
              type="button"
              className={buttonClass('secondary', 'sm')}
              onClick={() => void navigator.clipboard?.writeText(made.secret).then(() => setCopied(true))}
            >
              {copied ? t('apiKeys.copied') : t('apiKeys.copy')}
            </button>
            <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => setMade(null)}>
              {t('apiKeys.done')}
            </button>
          </div>
        </div>
      )}
      {keys.length === 0 ? (
        <p className="text-sm text-fg-faint">{t('apiKeys.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-line">
          <table className="w-full text-sm">
            <thead className="bg-muted text-left text-fg-soft">
              <tr>
                {[
                  t('apiKeys.name'),
                  t('apiKeys.key'),
                  t('apiKeys.created'),
                  t('apiKeys.expires'),
                  t('apiKeys.lastUsed'),
                  t('apiKeys.status'),
                  '',
                ].map((h) => (
                  <th key={h || 'actions'} scope="col" className="px-3 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const status = statusOf(k, now);
                return (
                  <tr key={k.id} className="border-t border-line" data-testid="api-key-row">
                    <th scope="row" className="px-3 py-2 text-left font-normal">
                      {k.name}
                    </th>
                    <td className="px-3 py-2 font-mono text-xs">{k.prefix}…</td>
                    <td className="px-3 py-2">{date(k.createdAt, '')}</td>
                    <td className="px-3 py-2">{date(k.expiresAt, t('apiKeys.expiryNever'))}</td>
                    <td className="px-3 py-2">{date(k.lastUsedAt, t('apiKeys.neverUsed'))}</td>
                    <td className="px-3 py-2">{t(`apiKeys.${status}`)}</td>
                    <td className="px-3 py-2 text-right">
                      {status === 'active' && (
                        <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => void revoke(k)}>
                          {t('apiKeys.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
