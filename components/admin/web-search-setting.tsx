// The instance switch for Kimi's web search (Setting `chat.webSearchEnabled`), on /admin/prices beside the fee row.
import { routes } from '@/components/api/client';
import { buttonClass } from '@/components/ui/button';
import type { Translate } from '@/lib/i18n';

export function WebSearchSettingForm({ enabled, t }: { enabled: boolean; t: Translate }) {
  return (
    <form method="post" action={routes.adminSettings} className="flex flex-col gap-2 text-sm">
      <h3 className="font-semibold">{t('webSearch.adminTitle')}</h3>
      <p className="text-fg-soft">{t('webSearch.adminHelp')}</p>
      <input type="hidden" name="setting" value="webSearch" />
      <input type="hidden" name="back" value="/admin/prices" />
      <div className="flex items-end gap-2">
        <select
          name="enabled"
          defaultValue={enabled ? 'on' : 'off'}
          aria-label={t('webSearch.adminTitle')}
          className="rounded-md border border-line bg-surface px-2 py-1"
        >
          <option value="on">{t('webSearch.adminOn')}</option>
          <option value="off">{t('webSearch.adminOff')}</option>
        </select>
        <button type="submit" className={buttonClass('secondary', 'sm')}>
          {t('webSearch.adminSave')}
        </button>
      </div>
    </form>
  );
}
