// Recognises OpenAI-style chat prompts in JSON, JSONL and YAML files and pulls out what is sent as text: each
// message's role, name and text parts, plus the tool definitions and tool calls each vendor writes into the prompt.
// Everything else that costs tokens but is not counted (images, audio, files) is reported, so a count never looks
// more complete than it is.
//
// JSON goes through JSON.parse, not jsonc-parser: it is several times faster on large files, and jsonc-parser's
// default entry cannot be bundled into the worker or the CLI without esbuild's mainFields override.
// YAML uses the `yaml` package: spec-compliant YAML 1.2, no dependencies of its own, and a limit on alias
// expansion (maxAliasCount) that stops "billion laughs" documents before they eat memory.
import { parseAllDocuments } from 'yaml';

export type ChatKind = 'json' | 'jsonl' | 'yaml';

export interface ChatMessage {
  role: string;
  name?: string;
  /** The text parts, in order; a plain string content is one part, a null or missing content none. */
  content: string[];
  /** Tool calls the message makes, in order. */
  toolCalls?: ToolCall[];
}

export interface ToolCall {
  /** `function` for OpenAI-style calls. */
  type: string;
  name: string;
  /** As sent: OpenAI sends a JSON string; some files hold an object. */
  arguments: unknown;
}

/** One tool the request offers the model, normalised to OpenAI's `{type: 'function', function: {…}}` shape. */
export interface ToolDefinition {
  /** The definition as the vendors' templates serialise it (`tool | tojson`): the request's own object, key order kept. */
  value: Record<string, unknown>;
  name: string;
  /** Undefined when the definition has none. */
  description?: string;
  /** The JSON-schema of the arguments, if any. */
  parameters?: unknown;
  /** Where it came from: OpenAI's `tools`, the legacy `functions`, or Anthropic's `{name, input_schema}`. */
  source: 'tools' | 'functions' | 'anthropic';
}

export type Conversation = ChatMessage[];

export type ChatProblemCode =
  | 'image'
  | 'audio'
  | 'file'
  | 'other-part'
  | 'tools'
  | 'tool-calls'
  | 'invalid-content'
  | 'invalid-message'
  | 'invalid-line';

export interface ChatProblem {
  /** Stable id, for callers that word the problem themselves. */
  code: ChatProblemCode;
  /** How many times it occurred. */
  count: number;
  /** 1-based line of the first occurrence, in JSONL files. */
  line?: number;
  /** English description, shown to users. */
  message: string;
}

export interface ParsedChat {
  /** Each conversation is one request: its own messages and its own reply. */
  conversations: Conversation[];
  /** The tools each conversation's request offers, by index into `conversations`; absent when none has any. */
  tools?: ToolDefinition[][];
  problems: ChatProblem[];
}

const PROBLEM_TEXT: Record<ChatProblemCode, (n: number) => string> = {
  image: (n) => `${n} image part${s(n)} not counted: image tokens depend on size and detail settings only the vendor applies.`,
  audio: (n) => `${n} audio part${s(n)} not counted.`,
  file: (n) => `${n} file part${s(n)} not counted.`,
  'other-part': (n) => `${n} content part${s(n)} of other types not counted.`,
  tools: (n) => `${n} tool definition${s(n)} without a function name not counted.`,
  'tool-calls': (n) => `${n} tool call${s(n)} in assistant messages without a function name not counted.`,
  'invalid-content': (n) => `${n} message content${s(n)} neither text nor a list of parts, not counted.`,
  'invalid-message': (n) => `${n} entr${n === 1 ? 'y' : 'ies'} of "messages" without a "role", skipped.`,
  'invalid-line': (n) => `${n} line${s(n)} neither a chat message nor a request with "messages", skipped.`,
};

function s(n: number): string {
  return n === 1 ? '' : 's';
}

/** Counts problems by code, keeping the first line each occurred on. */
class Problems {
  private readonly byCode = new Map<ChatProblemCode, { count: number; line?: number }>();
  line: number | undefined;

  add(code: ChatProblemCode, count = 1): void {
    if (count <= 0) return;
    const p = this.byCode.get(code);
    if (p) p.count += count;
    else this.byCode.set(code, { count, line: this.line });
  }

  list(): ChatProblem[] {
    return [...this.byCode].map(([code, p]) => ({ code, count: p.count, ...(p.line === undefined ? {} : { line: p.line }), message: PROBLEM_TEXT[code](p.count) }));
  }
}

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A message needs a string role and one of the fields only messages have, so `[{"role": "admin"}]` is not one. */
function isMessage(v: Json): v is Record<string, Json> {
  return isRecord(v) && typeof v.role === 'string' && ('content' in v || 'tool_calls' in v || 'function_call' in v);
}

const TEXT_PART_TYPES = new Set(['text', 'input_text', 'output_text']);
const PART_PROBLEM: Record<string, ChatProblemCode> = {
  image_url: 'image',
  image: 'image',
  input_image: 'image',
  input_audio: 'audio',
  audio: 'audio',
  file: 'file',
  input_file: 'file',
  document: 'file',
};

/** Text parts of a content value: a string, or an array of strings and `{type: 'text', text}` parts. */
function textParts(content: Json, problems: Problems): string[] {
  if (typeof content === 'string') return [content];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) {
    problems.add('invalid-content');
    return [];
  }
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') parts.push(part);
    else if (isRecord(part) && typeof part.text === 'string' && (part.type === undefined || TEXT_PART_TYPES.has(part.type as string))) parts.push(part.text);
    // Anthropic's blocks: a tool_use is a tool call (taken by toMessage), a tool_result's content is text sent back.
    else if (isRecord(part) && part.type === 'tool_use') continue;
    else if (isRecord(part) && part.type === 'tool_result') parts.push(...textParts(part.content, problems));
    else problems.add((isRecord(part) && typeof part.type === 'string' && PART_PROBLEM[part.type]) || 'other-part');
  }
  return parts;
}

function toMessage(v: Record<string, Json>, problems: Problems): ChatMessage {
  const message: ChatMessage = { role: v.role as string, content: textParts(v.content, problems) };
  if (typeof v.name === 'string') message.name = v.name;
  const calls: ToolCall[] = [];
  const raw = [
    ...(Array.isArray(v.tool_calls) ? v.tool_calls : []),
    ...(isRecord(v.function_call) ? [{ type: 'function', function: v.function_call }] : []),
    ...(Array.isArray(v.content) ? v.content.filter((p) => isRecord(p) && p.type === 'tool_use').map((p) => ({ type: 'function', function: { name: (p as Record<string, Json>).name, arguments: (p as Record<string, Json>).input ?? {} } })) : []),
  ];
  for (const c of raw) {
    const call = toToolCall(c);
    if (call) calls.push(call);
    else problems.add('tool-calls');
  }
  if (calls.length > 0) message.toolCalls = calls;
  return message;
}

/** An OpenAI tool call `{type, function: {name, arguments}}`, or a bare `{name, arguments}` (Qwen's templates accept both). */
function toToolCall(c: Json): ToolCall | undefined {
  if (!isRecord(c)) return undefined;
  const f = isRecord(c.function) ? c.function : c;
  if (typeof f.name !== 'string') return undefined;
  return { type: typeof c.type === 'string' ? c.type : 'function', name: f.name, arguments: f.arguments ?? (f === c ? c.input : undefined) ?? {} };
}

/** A tool definition in any of the shapes requests use; undefined if it names no function. */
function toTool(t: Json, source: 'tools' | 'functions'): ToolDefinition | undefined {
  if (!isRecord(t)) return undefined;
  let f: Record<string, Json>;
  let value: Record<string, Json>;
  let from: ToolDefinition['source'] = source;
  if (isRecord(t.function)) {
    f = t.function;
    value = t;
  } else if (source === 'tools' && 'input_schema' in t) {
    // Anthropic's Messages API: {name, description, input_schema}.
    f = { name: t.name, ...(t.description === undefined ? {} : { description: t.description }), parameters: t.input_schema };
    value = { type: 'function', function: f };
    from = 'anthropic';
  } else {
    // The legacy `functions` list (and bare function objects in `tools`): wrapped as OpenAI's servers wrap them.
    f = t;
    value = { type: 'function', function: t };
    from = 'functions';
  }
  if (typeof f.name !== 'string') return undefined;
  const tool: ToolDefinition = { value, name: f.name, parameters: f.parameters, source: from };
  if (typeof f.description === 'string') tool.description = f.description;
  return tool;
}

function toolsOf(request: Record<string, Json>, problems: Problems): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const [key, source] of [['tools', 'tools'], ['functions', 'functions']] as const) {
    const list = request[key];
    if (!Array.isArray(list)) continue;
    for (const t of list) {
      const tool = toTool(t, source);
      if (tool) tools.push(tool);
      else problems.add('tools');
    }
  }
  return tools;
}

/** A request body (`{messages}`, or a batch line's `{body: {messages}}`) as a conversation; undefined if it is none. */
function fromRequest(v: Record<string, Json>, problems: Problems): { conversation: Conversation; tools: ToolDefinition[] } | undefined {
  const request = Array.isArray(v.messages) ? v : isRecord(v.body) && Array.isArray(v.body.messages) ? v.body : undefined;
  if (!request) return undefined;
  const messages = request.messages as Json[];
  if (!messages.some(isMessage)) return undefined;
  const conversation: Conversation = [];
  // Anthropic's Messages API keeps the system prompt beside the messages.
  const system = request.system === undefined ? [] : textParts(request.system, problems);
  if (system.length) conversation.push({ role: 'system', content: system });
  for (const m of messages) {
    if (isMessage(m)) conversation.push(toMessage(m, problems));
    else problems.add('invalid-message');
  }
  return { conversation, tools: toolsOf(request, problems) };
}

/** One parsed JSON value or YAML document: a whole conversation, a single message, or neither. */
function fromValue(v: Json, problems: Problems): { conversation: Conversation; tools?: ToolDefinition[] } | { message: ChatMessage } | undefined {
  if (Array.isArray(v)) {
    if (v.length === 0 || !v.every(isMessage)) return undefined;
    return { conversation: v.map((m) => toMessage(m as Record<string, Json>, problems)) };
  }
  if (!isRecord(v)) return undefined;
  if (isMessage(v)) return { message: toMessage(v, problems) };
  return fromRequest(v, problems);
}

/** Collects values into conversations; consecutive single messages (one per JSONL line) make one conversation. */
class Collector {
  readonly conversations: Conversation[] = [];
  readonly tools: ToolDefinition[][] = [];
  anyTools = false;
  private loose: Conversation | undefined;

  add(item: NonNullable<ReturnType<typeof fromValue>>): void {
    if ('message' in item) {
      if (!this.loose) {
        this.conversations.push((this.loose = []));
        this.tools.push([]);
      }
      this.loose.push(item.message);
    } else {
      this.loose = undefined;
      this.conversations.push(item.conversation);
      this.tools.push(item.tools ?? []);
      if (item.tools?.length) this.anyTools = true;
    }
  }
}

function parseJsonLines(text: string, problems: Problems, collector: Collector): void {
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (!raw) continue;
    problems.line = line;
    let value: Json;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.add('invalid-line');
      continue;
    }
    const item = fromValue(value, problems);
    if (item) collector.add(item);
    else problems.add('invalid-line');
  }
  problems.line = undefined;
}

/** Aliases allowed per document: far above what a hand-written prompt uses, far below an expansion attack. */
const MAX_ALIAS_COUNT = 100;

function parseYaml(text: string, problems: Problems, collector: Collector): boolean {
  for (const doc of parseAllDocuments(text, { prettyErrors: false })) {
    if (doc.errors.length) return false;
    const item = fromValue(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems);
    if (!item) return false;
    collector.add(item);
  }
  return true;
}

/**
 * The conversations in a chat-prompt file, or undefined when the text is not one: a top-level array of messages,
 * a request object with `messages` (OpenAI; Anthropic's top-level `system` too), a batch line's `body.messages`,
 * JSONL of requests or of single messages (consecutive message lines form one conversation), or YAML documents of
 * any of these. Never throws.
 */
export function parseChat(text: string, kind: ChatKind): ParsedChat | undefined {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const problems = new Problems();
  const collector = new Collector();
  try {
    if (kind === 'jsonl') parseJsonLines(text, problems, collector);
    else if (kind === 'json') {
      const item = fromValue(JSON.parse(text), problems);
      if (!item) return undefined;
      collector.add(item);
    } else if (!parseYaml(text, problems, collector)) return undefined;
  } catch {
    // Malformed JSON, a YAML alias bomb (the yaml package throws past maxAliasCount), or nesting deep enough to
    // overflow the stack: none of these is a chat prompt.
    return undefined;
  }
  if (collector.conversations.length === 0) return undefined;
  return { conversations: collector.conversations, ...(collector.anyTools ? { tools: collector.tools } : {}), problems: problems.list() };
}
