// One message per ErrorCode (lib/chat/types.ts). Params are what lib/kimi/errors.ts, lib/kimi/context.ts
// and lib/kimi/rules.ts put in ChatError.params. `{suggestion}` is filled by the UI: `suggestModel`
// with params.suggestion's model when present, else ''.
export const errors = {
  unauthorized: 'You are signed out. Sign in again to continue.',
  forbidden: "You don't have access to this.",
  not_found: 'This conversation no longer exists.',
  bad_request: 'The request was not valid. Reload the page and try again.',
  message_too_long: 'This message is too long. Shorten it, or attach the text as a document.',
  context_too_long: "This conversation is {requested} tokens, over {model}'s {window}-token window by {over}. {suggestion}",
  invalid_temperature: '{model} accepts a temperature from {min} to {max}. Change it in the conversation settings.',
  rate_limited: 'Kimi is busy for your account tier. Try again in {retryAfterSeconds} s.',
  engine_overloaded: 'Kimi is overloaded right now. Try again in a moment.',
  quota_exceeded: "The Kimi account's balance is used up. Ask an administrator to top it up.",
  user_quota_exceeded: 'You have used your monthly allowance. It resets on {resetsAt}.',
  too_many_requests: "You're sending messages too quickly. Wait a moment and try again.",
  content_filter: 'Kimi declined this request because it was flagged as high risk. Rephrase it and try again.',
  invalid_api_key: 'Kimi rejected the API key. Check MOONSHOT_API_KEY, and that it matches MOONSHOT_BASE_URL (.cn or .ai).',
  model_not_found: '{model} is not available on this Kimi account. Pick another model.',
  upstream_error: 'Kimi had a problem answering. Try again.',
  upstream_timeout: 'Kimi took too long to respond. Try again.',
  stream_dropped: 'The connection to Kimi was lost mid-answer. The partial answer is kept; retry to get a full one.',
  interrupted: 'The answer was interrupted before it finished. Retry to get a full one.',
  conversation_busy: 'An answer is still being written in this conversation. Wait for it, or stop it first.',
  internal: 'Something went wrong on our side. Try again.',
  suggestModel: 'Switch to {model}, which fits.',
  details: 'Details',
  retry: 'Retry',
};
