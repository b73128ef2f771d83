// The floor under our chat route, for `npm run bench` only: the same simulator call through a bare
// Next.js route (`proxy`: fetch and pass the body on) and through the AI SDK (`ai-sdk`: streamText to a
// UI message stream), with no session, database or writes. Off (404) unless BENCH_BASELINE_ROUTES is
// set, which lib/config allows only against a simulator on this machine.
import { streamText } from 'ai';
import { z } from 'zod';
import { ANSWER_STREAM_HEADERS } from '@/lib/chat/answer-stream';
import { config } from '@/lib/config';
import { badRequest, notFound } from '@/lib/http';
import { kimiConnection } from '@/lib/kimi/connection';
import { kimiModel } from '@/lib/kimi/provider';

export const dynamic = 'force-dynamic';

const querySchema = z.object({ kind: z.enum(['proxy', 'ai-sdk']) });
const bodySchema = z.object({ model: z.string().max(64), prompt: z.string().max(1_000), thinking: z.boolean().optional() });

export async function POST(req: Request): Promise<Response> {
  if (!config().bench.baselineRoutes) return notFound();
  const query = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  const body = bodySchema.safeParse(await req.json().catch(() => null));
  if (!query.success || !body.success) return badRequest('kind=proxy|ai-sdk and { model, prompt }');
  const { model, prompt, thinking } = body.data;
  const thinkingField = thinking === undefined ? {} : { thinking: { type: thinking ? ('enabled' as const) : ('disabled' as const) } };
  if (query.data.kind === 'ai-sdk') {
    const result = streamText({ model: kimiModel(model), prompt, maxRetries: 0, providerOptions: { moonshotai: thinkingField } });
    return result.toUIMessageStreamResponse({ headers: ANSWER_STREAM_HEADERS });
  }
  const { baseURL, apiKey } = kimiConnection();
  const upstream = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, ...thinkingField, stream: true, messages: [{ role: 'user', content: prompt }] }),
    signal: req.signal,
  });
  return new Response(upstream.body, { status: upstream.status, headers: ANSWER_STREAM_HEADERS });
}
