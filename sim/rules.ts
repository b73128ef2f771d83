// Kimi's per-model request rules: thinking, reasoning effort, pinned sampling, the answer budget and the
// context window. `current` mode follows today's API (kimi-api.md §1); `legacy` keeps the 2025 behaviour.
// Messages marked "unconfirmed" in sim/README.md are the simulator's own wording.
import { getModel, type ModelInfo, REASONING_EFFORTS, type ReasoningEffort, routeAuto } from '../lib/kimi/catalog';
import { invalidRequest, tokenLimit } from './errors';
import { type CatalogMode, PINNED_SAMPLING } from './models';
import type { ChatBody } from './schema';

export interface Decided {
  thinking: boolean;
  /** K3's effort (default max); undefined on models without efforts. */
  effort: ReasoningEffort | undefined;
}

/** Default effort when K3 gets none: `max` per the AI SDK provider docs (kimi-api.md: high or max, unconfirmed). */
export const DEFAULT_EFFORT: ReasoningEffort = 'max';

const only = (param: string, value: number) => invalidRequest(`invalid ${param}: only ${value} is allowed for this model`);

export const MESSAGES = {
  thinkingAndEffort: 'Invalid request: thinking and reasoning_effort cannot be used together',
  effortUnsupported: 'invalid reasoning_effort: reasoning_effort is not supported for this model',
  effortValue: `invalid reasoning_effort: only ${REASONING_EFFORTS.join(', ')} are allowed for this model`,
  thinkingDisabled: 'invalid thinking: only type=enabled is allowed for this model',
  toolChoiceRequired: 'invalid tool_choice: tool_choice "required" is not supported when thinking is enabled for this model',
} as const;

/** kimi-api.md: `tool_choice: "required"` only on K3; K2.6 (thinking on) and K2.7 → 400 (wording unrecorded). */
const REQUIRED_TOOL_CHOICE_WITH_THINKING = new Set(['kimi-k3']);

function checkTemperature(model: ModelInfo, thinking: boolean, temperature: number | null | undefined): void {
  if (temperature == null) return;
  const rule = model.temperature;
  if (rule.kind === 'fixed') {
    const pinned = thinking ? rule.value : (rule.valueWithoutThinking ?? rule.value);
    if (temperature !== pinned) throw only('temperature', pinned);
  } else if (temperature < rule.min || temperature > rule.max) {
    throw invalidRequest(`invalid temperature: must be between ${rule.min} and ${rule.max}`);
  }
}

/** Thinking, effort and sampling checks; throws Kimi's 400s. */
export function decide(mode: CatalogMode, model: ModelInfo, body: ChatBody): Decided {
  if (mode === 'legacy') {
    // 2025: `thinking: disabled` was ignored by always-thinking models, reasoning_effort did not exist.
    const thinking = model.thinking === 'always' || (model.thinking === 'optional' && body.thinking?.type !== 'disabled');
    checkTemperature(model, thinking, body.temperature);
    const n = body.n ?? 1;
    if (n > 5) throw invalidRequest(`Invalid request: n must be at most 5 (got ${n})`);
    return { thinking, effort: undefined };
  }

  let effort: ReasoningEffort | undefined;
  if (body.reasoning_effort != null) {
    if (body.thinking != null) throw invalidRequest(MESSAGES.thinkingAndEffort);
    if (!model.reasoningEfforts) throw invalidRequest(MESSAGES.effortUnsupported);
    if (!(model.reasoningEfforts as readonly string[]).includes(body.reasoning_effort)) throw invalidRequest(MESSAGES.effortValue);
    effort = body.reasoning_effort as ReasoningEffort;
  } else if (model.reasoningEfforts) {
    effort = DEFAULT_EFFORT;
  }

  if (body.thinking?.type === 'disabled' && model.thinking === 'always') throw invalidRequest(MESSAGES.thinkingDisabled);
  const thinking = model.thinking === 'always' || (model.thinking === 'optional' && body.thinking?.type !== 'disabled');

  checkTemperature(model, thinking, body.temperature);
  if (model.temperature.kind === 'fixed') {
    for (const param of ['top_p', 'presence_penalty', 'frequency_penalty'] as const) {
      const value = body[param];
      if (value != null && value !== PINNED_SAMPLING[param]) throw only(param, PINNED_SAMPLING[param]);
    }
    if (body.n != null && body.n !== PINNED_SAMPLING.n) throw only('n', PINNED_SAMPLING.n);
  } else {
    const n = body.n ?? 1;
    if (n > 5) throw invalidRequest(`Invalid request: n must be at most 5 (got ${n})`);
  }
  if (body.tool_choice === 'required' && thinking && !REQUIRED_TOOL_CHOICE_WITH_THINKING.has(model.id)) {
    throw invalidRequest(MESSAGES.toolChoiceRequired);
  }
  return { thinking, effort };
}

export interface Window {
  /** The model that answers (moonshot-v1-auto: the routed one). */
  served: ModelInfo;
  /** Completion budget: reasoning + content. */
  budget: number;
}

/**
 * Served model and answer budget, or Kimi's token-limit 400 (`requested` = prompt + the sent budget, or the
 * prompt alone when none is sent). Current mode: an omitted budget is the catalog's `defaultMaxTokens`,
 * capped at window − prompt. Legacy: an omitted budget is window − prompt.
 */
export function applyWindow(mode: CatalogMode, model: ModelInfo, promptTokens: number, maxTokens: number | undefined): Window {
  const requested = promptTokens + (maxTokens ?? 0);
  let served = model;
  if (model.routes) {
    const routed = routeAuto(promptTokens, maxTokens ?? 0, model.routes);
    if (!routed) throw tokenLimit(model.contextWindow, requested);
    served = getModel(routed);
  } else if (requested > model.contextWindow) {
    throw tokenLimit(model.contextWindow, requested);
  }
  const room = served.contextWindow - promptTokens;
  const fallback = mode === 'current' ? served.defaultMaxTokens : Infinity;
  return { served, budget: Math.min(maxTokens ?? fallback, room) };
}
