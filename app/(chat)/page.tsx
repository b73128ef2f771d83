import { NewChat } from '@/components/chat/new-chat';
import { readWebSearchEnabled } from '@/lib/admin/settings';
import { requireUser } from '@/lib/auth/session';
import { modelCatalogView } from '@/lib/chat/models';
import { db } from '@/lib/db';
import { newChatModel } from '@/lib/preferences/default-model';
import { readPreferences } from '@/lib/preferences/store';

/** A new chat on the user's default model (else the instance's). The id is fresh on every visit; NewChat also starts over when the router brings this page back after the first message moved the address. */
export default async function NewChatPage() {
  const user = await requireUser();
  const [view, webSearchAvailable, preferences] = await Promise.all([modelCatalogView(), db().then(readWebSearchEnabled), readPreferences(user.id)]);
  const { model, unavailable } = newChatModel(preferences.defaultModel, view);
  const id = crypto.randomUUID();
  return (
    <NewChat
      key={id}
      id={id}
      initialSettings={{ model, systemPrompt: '', temperature: null, thinking: true, reasoningEffort: null, webSearch: false }}
      models={view.models}
      unavailableDefault={unavailable}
      isAdmin={user.role === 'admin'}
      webSearchAvailable={webSearchAvailable}
    />
  );
}
