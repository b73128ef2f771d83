// Points config().kimi at a simulator for tests that call lib/kimi directly.
import { afterAll, beforeAll } from 'vitest';
import { resetConfigForProcess } from '@/lib/config';
import { type Simulator, startSimulator } from '@/sim';

// Key-shaped on purpose (scrubbing tests look for it), assembled so no key-like literal sits in source.
export const TEST_KEY = ['sk', 'kimiTest0123456789abcdefghijklmnopqrstuvwxyzABCD'].join('-');

/** Simulator mode, as in keyless runs; `undefined` unsets. */
export function useKimiAt(url: string | undefined, key: string | undefined = TEST_KEY): void {
  delete process.env.MOONSHOT_API_KEY;
  if (url === undefined) delete process.env.KIMI_SIMULATOR_URL;
  else process.env.KIMI_SIMULATOR_URL = url;
  if (key === undefined) delete process.env.KIMI_SIMULATOR_KEY;
  else process.env.KIMI_SIMULATOR_KEY = key;
  resetConfigForProcess();
}

/** A simulator for the whole file, with config().kimi pointed at it; read `.current` inside tests. */
export function useSimulatorForFile(): { current: Simulator } {
  const handle = {} as { current: Simulator };
  beforeAll(async () => {
    handle.current = await startSimulator();
    useKimiAt(handle.current.url);
  });
  afterAll(async () => {
    useKimiAt(undefined, undefined);
    await handle.current?.close();
  });
  return handle;
}
