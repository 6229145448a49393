// Shared by the three import formats: price units, provider → vendor/tokenizer mapping, and problem reports.
import type { ModelEntry, PriceList, TokenizerId } from '../types';

/** Something in an imported file that was not mapped (never guessed): where, and why. */
export interface ImportProblem {
  /** JSON path in the imported file, e.g. `["gpt-4o"].output_cost_per_reasoning_token`. */
  path: string;
  message: string;
}

export interface ImportContext {
  /** The file, for `source` and messages: a path or URL. */
  label: string;
  /** YYYY-MM-DD used where the format gives no date of its own (the file's date). */
  fileDate: string;
  problems: ImportProblem[];
}

export interface Imported {
  models: ModelEntry[];
}

/** USD per token → per 1M tokens, cut to 12 significant digits so 2.5e-6 becomes 2.5, not 2.4999999999999996. */
export function perMillionFromPerToken(perToken: number): number {
  return Number((perToken * 1_000_000).toPrecision(12));
}

/** A JSON path segment: `.key` for identifier-like keys, else `["key"]`. */
export function seg(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative finite number, or a decimal string of one (OpenRouter quotes prices as strings). */
export function priceValue(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

interface Family {
  vendor: string;
  /** Undefined when the model is of a generation whose tokenizer is not known to be one of ours. */
  tokenizer: (model: string) => TokenizerId | undefined;
}

const fixed = (t: TokenizerId) => () => t;
// OpenAI: GPT-3.5 and GPT-4 (not 4o / 4.1) use cl100k_base; GPT-4o through GPT-5.x, o1/o3/o4 and gpt-oss use
// o200k_base. A later generation is not assumed to keep it (an exact count must not be claimed): undefined.
const openAiTokenizer = (model: string): TokenizerId | undefined => {
  const m = model.toLowerCase();
  if (/(^|[/.:])(gpt-3\.5|gpt-4(?![o.\d])|gpt-4-\d|text-embedding-(ada|3))/.test(m)) return 'cl100k_base';
  if (/(^|[/.:])(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-5(?!\d)|o[134](-|$)|gpt-oss)/.test(m)) return 'o200k_base';
  return undefined;
};

/** Vendors by the provider key each format uses for the vendor's own API (vendor names as in the shipped table). */
const FAMILIES: Record<string, Family> = {
  openai: { vendor: 'OpenAI', tokenizer: openAiTokenizer },
  anthropic: { vendor: 'Anthropic', tokenizer: fixed('estimate:claude') },
  google: { vendor: 'Google', tokenizer: fixed('estimate:gemini') },
  deepseek: { vendor: 'DeepSeek', tokenizer: fixed('estimate:deepseek') },
  qwen: { vendor: 'Alibaba Qwen', tokenizer: fixed('qwen') },
  moonshot: { vendor: 'Moonshot Kimi', tokenizer: fixed('estimate:kimi') },
  zhipu: { vendor: 'Zhipu GLM', tokenizer: fixed('estimate:glm') },
  minimax: { vendor: 'MiniMax', tokenizer: fixed('estimate:minimax') },
  xai: { vendor: 'xAI', tokenizer: fixed('estimate:xai') },
  mistral: { vendor: 'Mistral', tokenizer: fixed('estimate:mistral') },
  bytedance: { vendor: 'ByteDance Doubao', tokenizer: fixed('estimate:doubao') },
  baidu: { vendor: 'Baidu ERNIE', tokenizer: fixed('estimate:ernie') },
  tencent: { vendor: 'Tencent Hunyuan', tokenizer: fixed('estimate:hunyuan') },
  stepfun: { vendor: 'StepFun', tokenizer: fixed('estimate:stepfun') },
};

/** Provider keys of LiteLLM (`litellm_provider`), models.dev (provider ids) and OpenRouter (id prefixes) → family. */
const PROVIDER_KEYS: Record<string, string> = {
  openai: 'openai',
  'text-completion-openai': 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  google: 'google',
  'vertex_ai-language-models': 'google',
  deepseek: 'deepseek',
  dashscope: 'qwen',
  alibaba: 'qwen',
  'alibaba-cn': 'qwen',
  qwen: 'qwen',
  moonshot: 'moonshot',
  moonshotai: 'moonshot',
  'moonshotai-cn': 'moonshot',
  zhipuai: 'zhipu',
  zai: 'zhipu',
  'z-ai': 'zhipu',
  minimax: 'minimax',
  xai: 'xai',
  'x-ai': 'xai',
  mistral: 'mistral',
  mistralai: 'mistral',
  volcengine: 'bytedance',
  bytedance: 'bytedance',
  'bytedance-seed': 'bytedance',
  baidu: 'baidu',
  tencent: 'tencent',
  stepfun: 'stepfun',
  'stepfun-ai': 'stepfun',
};

/** Model-name families, for resellers and clouds (Bedrock, Azure, OpenRouter…) that serve another vendor's model. */
const NAME_FAMILIES: [RegExp, string][] = [
  [/(^|[/.:])(gpt-|o[134](-|$)|chatgpt-|text-embedding-)/, 'openai'],
  [/(^|[/.:])claude/, 'anthropic'],
  [/(^|[/.:])gemini/, 'google'],
  [/(^|[/.:])deepseek/, 'deepseek'],
  [/(^|[/.:])(qwen|qwq)/, 'qwen'],
  [/(^|[/.:])(kimi|moonshot)/, 'moonshot'],
  [/(^|[/.:])(glm|chatglm)/, 'zhipu'],
  [/(^|[/.:])(minimax|abab)/, 'minimax'],
  [/(^|[/.:])grok/, 'xai'],
  [/(^|[/.:])(mistral|mixtral|codestral|magistral|devstral|ministral|pixtral)/, 'mistral'],
  [/(^|[/.:])doubao/, 'bytedance'],
  [/(^|[/.:])ernie/, 'baidu'],
  [/(^|[/.:])hunyuan/, 'tencent'],
  [/(^|[/.:])step-/, 'stepfun'],
];

export interface Origin {
  vendor: string;
  tokenizer: TokenizerId;
  /** The provider is the model's own vendor (its prices are the vendor's list), not a reseller or cloud. */
  firstParty: boolean;
}

/**
 * Vendor and tokenizer for an imported model: by provider key first, else by the model name's family; unknown ones
 * get the rough 'estimate:other' and a problem, so the count is marked ≈ and the user is told.
 */
export function originOf(provider: string, model: string, path: string, ctx: ImportContext): Origin {
  const tokenizerOf = (f: Family): TokenizerId => {
    const t = f.tokenizer(model);
    if (t) return t;
    ctx.problems.push({ path, message: `tokenizer of ${f.vendor}'s ${model} not known: counted with the rough estimate:other (o200k_base stand-in)` });
    return 'estimate:other';
  };
  const key = PROVIDER_KEYS[provider.toLowerCase()];
  if (key) {
    const f = FAMILIES[key];
    return { vendor: f.vendor, tokenizer: tokenizerOf(f), firstParty: true };
  }
  const name = model.toLowerCase();
  for (const [re, k] of NAME_FAMILIES) {
    if (re.test(name)) {
      const f = FAMILIES[k];
      return { vendor: `${f.vendor} via ${provider}`, tokenizer: tokenizerOf(f), firstParty: false };
    }
  }
  ctx.problems.push({ path, message: `unknown vendor "${provider}" for ${model}: counted with the rough estimate:other (o200k_base stand-in)` });
  return { vendor: provider, tokenizer: 'estimate:other', firstParty: false };
}

/** The common part of every imported list: USD, per 1M, dated and sourced by the file. */
export function importedList(ctx: ImportContext, prices: Pick<PriceList, 'input' | 'output'> & Partial<PriceList>, effectiveDate = ctx.fileDate): PriceList {
  return {
    currency: 'USD',
    ...prices,
    effectiveDate,
    source: ctx.label,
    checked: ctx.fileDate,
  };
}
