import { Chat } from '@/components/chat/chat';
import { DEFAULT_MODEL_ID } from '@/lib/kimi/catalog';
import { listModels } from '@/lib/kimi/models';

/** A new chat. The id is fresh on every visit, so "New chat" always starts over (the key remounts). */
export default async function NewChatPage() {
  const models = await listModels();
  const id = crypto.randomUUID();
  return (
    <Chat
      key={id}
      id={id}
      isNew
      initialMessages={[]}
      initialSettings={{ model: DEFAULT_MODEL_ID, systemPrompt: '', temperature: null }}
      models={models}
    />
  );
}
