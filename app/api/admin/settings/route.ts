import { settingsSchema, writeSettings } from '@/lib/admin/settings';
import { apiAdmin } from '@/lib/auth/session';
import { setDefaultModel } from '@/lib/chat/models';
import { db } from '@/lib/db';
import { adminDone, adminInvalid, adminRefused, readAdminInput } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** POST /api/admin/settings — { setting: quotaDefault, tokens, cost } | { setting: lowBalance, threshold } | { setting: defaultModel, model } | { setting: signupPolicy, policy, domains } | { setting: webSearch, enabled: on|off } (admins only; audited). */
export async function POST(req: Request): Promise<Response> {
  const admin = await apiAdmin(req);
  if (admin instanceof Response) return admin;
  const input = await readAdminInput(req, settingsSchema);
  if (!input.data) return adminInvalid(req, input);
  if (input.data.setting === 'defaultModel') {
    const { model } = input.data;
    if (!(await setDefaultModel(model, {}, admin))) {
      return adminRefused(req, input, 400, 'modelNotServed', { code: 'model_not_found', params: { model }, retryable: false });
    }
    return adminDone(req, input);
  }
  const result = await writeSettings(await db(), input.data, admin);
  if (result === 'invalid_domains') return adminRefused(req, input, 400, 'invalid_domains', { code: 'bad_request', retryable: false });
  return adminDone(req, input);
}
