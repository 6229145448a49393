// Tool definitions and tool calls as vendors write them into the prompt: Python's json.dumps (what the chat
// templates' `tojson` filter calls in transformers and vLLM) and OpenAI's published function-calling accounting.
import type { ToolDefinition } from './chatParse';

/** Why a serialisation may differ from the vendor's; collected into the count's "Not covered" list. */
export type Caveats = string[];

const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/**
 * `json.dumps(v, ensure_ascii=False)`, as transformers' `tojson` filter calls it: `", "` and `": "` separators, keys
 * in their order, non-ASCII kept. JSON.stringify escapes strings the same way (\n \r \t \b \f, other controls as
 * \u00xx, lowercase). What a parsed value cannot say is noted: object keys that look like array indices (JSON.parse
 * moves them first) and numbers Python would write differently (1.0, 1e-07).
 */
export function pythonJson(v: unknown, caveats: Caveats): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    const s = Number.isFinite(v) ? String(v) : 'null';
    if (/e/i.test(s)) caveats.push('numbers in exponent notation, which Python writes differently');
    return s;
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map((x) => pythonJson(x, caveats)).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.some(([k]) => INDEX_KEY.test(k))) caveats.push('object keys that look like numbers, whose order a parsed file does not keep');
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x, caveats)}`).join(', ')}}`;
  }
  return 'null';
}

/** A tool call's arguments as templates write them: a string verbatim, anything else as JSON. */
export function argumentsText(args: unknown, caveats: Caveats): string {
  return typeof args === 'string' ? args : pythonJson(args, caveats);
}

/** The per-model constants of the cookbook's num_tokens_for_tools. */
export interface OpenAiToolConstants {
  funcInit: number;
  propInit: number;
  propKey: number;
  enumInit: number;
  enumItem: number;
  funcEnd: number;
}

/** gpt-4o / gpt-4o-mini (o200k_base) in the cookbook. */
export const O200K_TOOLS: OpenAiToolConstants = { funcInit: 7, propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 };
/** gpt-3.5-turbo / gpt-4 (cl100k_base) in the cookbook. */
export const CL100K_TOOLS: OpenAiToolConstants = { funcInit: 10, propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 };

export interface ToolAccounting {
  /** Fixed tokens (the constants), added as they are. */
  fixed: number;
  /** Texts to tokenize, each counted alone (the cookbook encodes each line separately). */
  texts: string[];
  caveats: Caveats;
}

/** Keys of a property schema the cookbook's formula reads; anything else is not covered by it. */
const PROPERTY_KEYS = new Set(['type', 'description', 'enum']);
const PARAMETER_KEYS = new Set(['type', 'properties', 'required']);

function withoutFinalDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/**
 * OpenAI cookbook, "How to count tokens with tiktoken", section 7, num_tokens_for_tools: per function func_init and
 * `name:description`; per parameter prop_init once, then per property prop_key and `key:type:description`, with an
 * enum enum_init and per item enum_item and the item; func_end once for the request. Checked there against the API
 * for flat schemas (string properties, an enum). What it leaves out (nested schemas, arrays' items, extra keywords,
 * missing descriptions) is counted as its JSON and noted.
 */
export function openAiToolAccounting(tools: readonly ToolDefinition[], k: OpenAiToolConstants): ToolAccounting {
  const out: ToolAccounting = { fixed: 0, texts: [], caveats: [] };
  if (tools.length === 0) return out;
  const extra = (v: unknown) => out.texts.push(pythonJson(v, out.caveats));
  for (const tool of tools) {
    out.fixed += k.funcInit;
    if (tool.description === undefined) out.caveats.push('tools without a description (the cookbook’s formula assumes one)');
    out.texts.push(`${tool.name}:${withoutFinalDot(tool.description ?? '')}`);
    const params = tool.parameters;
    if (params === undefined || params === null) continue;
    if (typeof params !== 'object' || Array.isArray(params)) {
      out.caveats.push('tool parameters that are not a JSON schema object');
      extra(params);
      continue;
    }
    const p = params as Record<string, unknown>;
    const rest = Object.fromEntries(Object.entries(p).filter(([key]) => !PARAMETER_KEYS.has(key)));
    if (Object.keys(rest).length) {
      out.caveats.push('schema keywords the cookbook’s formula leaves out (such as additionalProperties, $defs)');
      extra(rest);
    }
    const props = p.properties;
    if (typeof props !== 'object' || props === null || Array.isArray(props)) continue;
    const entries = Object.entries(props as Record<string, unknown>);
    if (entries.length === 0) continue;
    out.fixed += k.propInit;
    for (const [key, schema] of entries) {
      out.fixed += k.propKey;
      const s = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as Record<string, unknown>) : {};
      const type = typeof s.type === 'string' ? s.type : s.type === undefined ? '' : pythonJson(s.type, out.caveats);
      if (typeof s.type !== 'string') out.caveats.push('properties without a single type');
      const description = typeof s.description === 'string' ? s.description : '';
      if (typeof s.description !== 'string') out.caveats.push('properties without a description');
      if (Array.isArray(s.enum)) {
        out.fixed += k.enumInit;
        for (const item of s.enum) {
          out.fixed += k.enumItem;
          out.texts.push(typeof item === 'string' ? item : pythonJson(item, out.caveats));
          if (typeof item !== 'string') out.caveats.push('enum items that are not strings');
        }
      }
      out.texts.push(`${key}:${type}:${withoutFinalDot(description)}`);
      const more = Object.fromEntries(Object.entries(s).filter(([name]) => !PROPERTY_KEYS.has(name)));
      if (Object.keys(more).length) {
        out.caveats.push('nested schemas and keywords the cookbook’s formula leaves out (items, properties, default, format…)');
        extra(more);
      }
    }
  }
  out.fixed += k.funcEnd;
  return out;
}
