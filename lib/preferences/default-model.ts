// The model a new chat starts on: the user's default while the endpoint still serves it (Auto included),
// else the instance default, naming the user's choice so the page can say it is gone.
import type { ModelCatalogView } from '@/lib/contracts';

export function newChatModel(preferred: string | null, view: ModelCatalogView): { model: string; unavailable?: string } {
  if (preferred === null) return { model: view.defaultModel };
  if (view.models.some((m) => m.id === preferred)) return { model: preferred };
  return { model: view.defaultModel, unavailable: preferred };
}
