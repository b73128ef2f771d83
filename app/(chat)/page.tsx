import { NewChat } from '@/components/chat/new-chat';
import { readWebSearchEnabled } from '@/lib/admin/settings';
import { requireUser } from '@/lib/auth/session';
import { modelCatalogView } from '@/lib/chat/models';
import { db } from '@/lib/db';

/** A new chat on the instance's default model. The id is fresh on every visit; NewChat also starts over when the router brings this page back after the first message moved the address. */
export default async function NewChatPage() {
  const [user, { models, defaultModel }, webSearchAvailable] = await Promise.all([
    requireUser(),
    modelCatalogView(),
    db().then(readWebSearchEnabled),
  ]);
  const id = crypto.randomUUID();
  return (
    <NewChat
      key={id}
      id={id}
      initialSettings={{ model: defaultModel, systemPrompt: '', temperature: null, thinking: true, reasoningEffort: null, webSearch: false }}
      models={models}
      isAdmin={user.role === 'admin'}
      webSearchAvailable={webSearchAvailable}
    />
  );
}
