// One value per process. Next.js loads a server module once per bundle (route handlers, pages, server
// actions each get their own copy in one process), so module-level state would exist several times and an
// invalidation in one copy would miss the others; this keeps each named value on globalThis instead.
export function processSingleton<T>(name: string, create: () => T): T {
  const holder = globalThis as Record<symbol, unknown>;
  const key = Symbol.for(`kimi-chat.${name}`);
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}
