// Playwright's `test`, plus one rule for every spec: the browser contexts a test opens itself (a second user,
// a signed-out visitor) close when the test ends. The browser lives for the whole run, and pages left open
// pile up in it (a thousand-message thread each, for some), until a busy machine runs every later test at a
// fraction of its speed.
import { test as base } from '@playwright/test';

export * from '@playwright/test';

export const test = base.extend<{ closeOpenedContexts: undefined }>({
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use(undefined);
      await Promise.all(
        browser
          .contexts()
          .filter((context) => !before.has(context))
          .map((context) => context.close()),
      );
    },
    { auto: true },
  ],
});
