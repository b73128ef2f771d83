// Points config().kimi at a simulator for tests that call lib/kimi directly.
import { resetConfigForProcess } from '@/lib/config';

export const TEST_KEY = 'sk-kimiTest0123456789abcdefghijklmnopqrstuvwxyzABCD';

/** Simulator mode, as in keyless runs; `undefined` unsets. */
export function useKimiAt(url: string | undefined, key: string | undefined = TEST_KEY): void {
  delete process.env.MOONSHOT_API_KEY;
  if (url === undefined) delete process.env.KIMI_SIMULATOR_URL;
  else process.env.KIMI_SIMULATOR_URL = url;
  if (key === undefined) delete process.env.KIMI_SIMULATOR_KEY;
  else process.env.KIMI_SIMULATOR_KEY = key;
  resetConfigForProcess();
}
