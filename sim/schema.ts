// Request-body validation (zod). Unknown fields pass through: Kimi ignores them, and clients send extras.
import { z } from 'zod';
import { invalidRequest, type SimError } from './errors';

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

export const messageSchema = z.looseObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z
    .union([z.string(), z.array(contentPart)])
    .nullish()
    .transform((content) => content ?? null),
  partial: z.boolean().nullish(),
});

export const messagesSchema = z.array(messageSchema).min(1);

export const chatSchema = z.looseObject({
  model: z.string().min(1),
  messages: messagesSchema,
  temperature: z.number().nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  n: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).nullish(),
  tools: z.array(z.looseObject({ type: z.enum(['function', 'builtin_function']), function: z.looseObject({ name: z.string().min(1) }) })).nullish(),
  tool_choice: z.union([z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.string() })]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  thinking: z.looseObject({ type: z.enum(['enabled', 'disabled']) }).nullish(),
  // Any string: the model rules (sim/rules.ts) answer unknown values with Kimi-style messages.
  reasoning_effort: z.string().nullish(),
});

export const estimateSchema = z.looseObject({ model: z.string().min(1), messages: messagesSchema });

export type ChatBody = z.infer<typeof chatSchema>;

/** Parse or throw a 400 naming the first bad field, e.g. `Invalid request: messages[0].role: …`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw describe(result.error.issues[0]);
}

function describe(issue: z.core.$ZodIssue | undefined): SimError {
  if (!issue) return invalidRequest('Invalid request');
  const path = issue.path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
  if (!path) return invalidRequest('Invalid request: the body must be a JSON object');
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return invalidRequest(`Invalid request: ${path} is required`);
  return invalidRequest(`Invalid request: ${path}: ${issue.message}`);
}
