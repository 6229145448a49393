// Counts chat prompts as they are sent: message contents plus each vendor's per-message overhead. The result is a
// TokenCount per tokenizer, so it goes wherever plain counts go (priceModels, the status bar, the panel).
import type { TokenizerId } from '../prices/types';
import type { CountFn } from '../compare';
import type { TokenCount } from '../tokenizers/tokenCounter';
import type { ChatKind, ParsedChat } from './chatParse';
import { chatTemplateFor } from './chatOverhead';
import type { ChatTemplate } from './chatOverhead';

export interface ChatCount extends TokenCount {
  /** Tokens of the message texts. */
  contentTokens: number;
  /** Tokens the chat format adds: role markers, separators, the reply's opening. tokens = content + overhead + tools. */
  overheadTokens: number;
  /** Tokens of the tool definitions and tool calls as the vendor writes them into the prompt, wrapper text included. */
  toolTokens: number;
  /** Tool definitions offered, summed over the conversations. */
  toolDefinitions: number;
  /** Tool calls in assistant messages. */
  toolCalls: number;
  /** Whether the overhead follows the vendor's published template for everything in these conversations. */
  overheadKnown: boolean;
  /** Where the overhead comes from, and what it leaves out; shown to users. */
  basis: string;
  messages: number;
  conversations: number;
}

/** Strings shorter than this (roles, names, newlines) are counted once per tokenizer and remembered. */
const MEMO_LENGTH = 64;
/** Longer texts of tool definitions are remembered too (a JSONL file often repeats its tools on every line), up to this many. */
const TOOL_MEMO_SIZE = 512;

/** One tokenizer's running totals. */
class Tally {
  tokens = 0;
  overhead = 0;
  tools = 0;
  contentExact = true;
  fallback: string | undefined;
  readonly unknown = new Set<string>();
  private readonly memo = new Map<string, number>();
  private readonly toolMemo = new Map<string, number>();

  constructor(
    readonly id: TokenizerId,
    private readonly count: CountFn,
  ) {}

  tokensOf(text: string, tool = false): number {
    if (text.length === 0) return 0;
    const short = text.length < MEMO_LENGTH;
    const known = short ? this.memo.get(text) : tool ? this.toolMemo.get(text) : undefined;
    if (known !== undefined) return known;
    const c = this.count(this.id, text);
    this.contentExact &&= c.exact;
    this.fallback ??= c.fallback;
    if (short) this.memo.set(text, c.tokens);
    else if (tool) {
      if (this.toolMemo.size >= TOOL_MEMO_SIZE) this.toolMemo.clear();
      this.toolMemo.set(text, c.tokens);
    }
    return c.tokens;
  }
}

/** Tokens per distinct tokenizer for every conversation in `parsed`, each conversation with its own reply priming. */
export function countChat(parsed: ParsedChat, tokenizers: Iterable<TokenizerId>, count: CountFn): Map<TokenizerId, ChatCount> {
  // Tokenizers whose templates render alike (OpenAI's accounting, which every estimate borrows) share one rendering,
  // and count each segment one after another, so estimates on the same proxy reuse its count of that text.
  const groups = new Map<ChatTemplate['render'], Tally[]>();
  const templates = new Map<TokenizerId, ChatTemplate>();
  const tallies: Tally[] = [];
  for (const id of tokenizers) {
    if (templates.has(id)) continue;
    const template = chatTemplateFor(id);
    templates.set(id, template);
    const tally = new Tally(id, count);
    tallies.push(tally);
    const group = groups.get(template.render);
    if (group) group.push(tally);
    else groups.set(template.render, [tally]);
  }
  let toolDefinitions = 0;
  let toolCalls = 0;
  parsed.conversations.forEach((conversation, i) => {
    const tools = parsed.tools?.[i] ?? [];
    toolDefinitions += tools.length;
    for (const m of conversation) toolCalls += m.toolCalls?.length ?? 0;
    for (const [render, group] of groups) {
      const r = render(conversation, tools);
      for (const t of group) {
        t.tokens += r.special + r.toolSpecial;
        t.overhead += r.special;
        t.tools += r.toolSpecial;
        for (const u of r.unknown) t.unknown.add(u);
      }
      const toolTexts = new Set(r.toolLiterals);
      for (const s of r.segments) for (const t of group) t.tokens += t.tokensOf(s, toolTexts.has(s));
      for (const l of r.literals) for (const t of group) t.overhead += t.tokensOf(l);
      for (const l of r.toolLiterals) for (const t of group) t.tools += t.tokensOf(l, true);
    }
  });
  const messages = parsed.conversations.reduce((n, c) => n + c.length, 0);
  const out = new Map<TokenizerId, ChatCount>();
  for (const t of tallies) {
    const template = templates.get(t.id)!;
    // A template's text can merge with the content next to it into fewer tokens than it has alone; the total is
    // exact either way, and content never goes below zero.
    // Tools first, then the message texts' overhead, so no share goes below zero or past the total.
    const toolTokens = Math.max(0, Math.min(t.tools, t.tokens));
    const contentTokens = Math.max(0, t.tokens - toolTokens - t.overhead);
    const overheadKnown = template.known && t.unknown.size === 0;
    const basis = toolDefinitions + toolCalls > 0 ? `${template.basis} ${template.toolBasis}` : template.basis;
    const result: ChatCount = {
      tokenizer: t.id,
      tokens: t.tokens,
      exact: t.contentExact && overheadKnown,
      contentTokens,
      overheadTokens: t.tokens - toolTokens - contentTokens,
      toolTokens,
      toolDefinitions,
      toolCalls,
      overheadKnown,
      basis: t.unknown.size ? `${basis} Not covered: ${[...t.unknown].join('; ')}.` : basis,
      messages,
      conversations: parsed.conversations.length,
    };
    if (t.fallback !== undefined) result.fallback = t.fallback;
    out.set(t.id, result);
  }
  return out;
}

const BY_LANGUAGE: Record<string, ChatKind> = { json: 'json', jsonc: 'json', jsonl: 'jsonl', yaml: 'yaml' };
const BY_EXTENSION: Record<string, ChatKind> = { json: 'json', jsonc: 'json', jsonl: 'jsonl', ndjson: 'jsonl', yaml: 'yaml', yml: 'yaml' };

/** Which chat parser a file needs, if any: by extension for JSONL (editors often call it JSON), else by language. */
export function chatKindOf(fileName: string, languageId?: string): ChatKind | undefined {
  const dot = fileName.lastIndexOf('.');
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  const ext = dot > slash ? fileName.slice(dot + 1).toLowerCase() : '';
  if (BY_EXTENSION[ext] === 'jsonl') return 'jsonl';
  return (languageId !== undefined && Object.hasOwn(BY_LANGUAGE, languageId) ? BY_LANGUAGE[languageId] : undefined) ?? (Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined);
}
