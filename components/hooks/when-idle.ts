// The browser's next idle moment, or `timeoutMs` at the latest: for work the page does not need to be
// interactive (code loaded after hydration), so that it never delays the first frame a person can use.
export function whenIdle(timeoutMs = 1_000): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, 1); // Safari has no requestIdleCallback
  });
}
