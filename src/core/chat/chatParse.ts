// Recognises OpenAI-style chat prompts in JSON, JSONL and YAML files and pulls out what is sent as text: each
// message's role, name and text parts. Everything else that costs tokens but is not counted (images, tool
// definitions, tool calls) is reported, so a count never looks more complete than it is.
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
  /** Tool calls the message makes: sent to the model, but not counted here. */
  toolCalls?: number;
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
  problems: ChatProblem[];
}

const PROBLEM_TEXT: Record<ChatProblemCode, (n: number) => string> = {
  image: (n) => `${n} image part${s(n)} not counted: image tokens depend on size and detail settings only the vendor applies.`,
  audio: (n) => `${n} audio part${s(n)} not counted.`,
  file: (n) => `${n} file part${s(n)} not counted.`,
  'other-part': (n) => `${n} content part${s(n)} of other types not counted.`,
  tools: (n) => `${n} tool definition${s(n)} not counted: each vendor turns them into hidden prompt text in its own, mostly undocumented, way.`,
  'tool-calls': (n) => `${n} tool call${s(n)} in assistant messages not counted.`,
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
    else problems.add((isRecord(part) && typeof part.type === 'string' && PART_PROBLEM[part.type]) || 'other-part');
  }
  return parts;
}

function toMessage(v: Record<string, Json>, problems: Problems): ChatMessage {
  const message: ChatMessage = { role: v.role as string, content: textParts(v.content, problems) };
  if (typeof v.name === 'string') message.name = v.name;
  const calls = (Array.isArray(v.tool_calls) ? v.tool_calls.length : 0) + (isRecord(v.function_call) ? 1 : 0);
  if (calls > 0) {
    message.toolCalls = calls;
    problems.add('tool-calls', calls);
  }
  return message;
}

/** A request body (`{messages}`, or a batch line's `{body: {messages}}`) as a conversation; undefined if it is none. */
function fromRequest(v: Record<string, Json>, problems: Problems): Conversation | undefined {
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
  if (Array.isArray(request.tools)) problems.add('tools', request.tools.length);
  if (Array.isArray(request.functions)) problems.add('tools', request.functions.length);
  return conversation;
}

/** One parsed JSON value or YAML document: a whole conversation, a single message, or neither. */
function fromValue(v: Json, problems: Problems): { conversation: Conversation } | { message: ChatMessage } | undefined {
  if (Array.isArray(v)) {
    if (v.length === 0 || !v.every(isMessage)) return undefined;
    return { conversation: v.map((m) => toMessage(m as Record<string, Json>, problems)) };
  }
  if (!isRecord(v)) return undefined;
  if (isMessage(v)) return { message: toMessage(v, problems) };
  const conversation = fromRequest(v, problems);
  return conversation && { conversation };
}

/** Collects values into conversations; consecutive single messages (one per JSONL line) make one conversation. */
class Collector {
  readonly conversations: Conversation[] = [];
  private loose: Conversation | undefined;

  add(item: NonNullable<ReturnType<typeof fromValue>>): void {
    if ('message' in item) {
      if (!this.loose) this.conversations.push((this.loose = []));
      this.loose.push(item.message);
    } else {
      this.loose = undefined;
      this.conversations.push(item.conversation);
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
  return { conversations: collector.conversations, problems: problems.list() };
}
