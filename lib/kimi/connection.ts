// Where Kimi (or the built-in simulator) is, and with which key. Server-only: the key never leaves.
import 'server-only';
import { config } from '@/lib/config';

export interface KimiConnection {
  baseURL: string;
  apiKey: string;
}

export class KimiNotReadyError extends Error {
  override name = 'KimiNotReadyError';
}

/** Throws in simulator mode until scripts/start.ts has published the simulator's URL and key. */
export function kimiConnection(): KimiConnection {
  const { mode, baseURL, apiKey } = config().kimi;
  // config() falls back to port 0 while KIMI_SIMULATOR_URL is unset: nothing listens there.
  if (mode === 'simulator' && (apiKey === undefined || new URL(baseURL).port === '0')) {
    throw new KimiNotReadyError(
      'No MOONSHOT_API_KEY is set and the Kimi simulator has not started yet (KIMI_SIMULATOR_URL / KIMI_SIMULATOR_KEY are unset).',
    );
  }
  if (apiKey === undefined) throw new KimiNotReadyError('MOONSHOT_API_KEY is not set.');
  return { baseURL, apiKey };
}
