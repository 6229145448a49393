// What a whole document costs to send: a chat file (OpenAI-style messages in JSON/YAML/JSONL) is counted as the
// messages plus each vendor's per-message overhead; anything else, or a file that does not parse as chat, as text.
import type { TokenizerId } from './prices/types';
import type { TokenCount } from './tokenizers/tokenCounter';
import { countByTokenizer, type CountFn } from './compare';
import { countChat } from './chat/chatFormat';
import { parseChat, type ChatKind } from './chat/chatParse';

export function countPrompt(text: string, tokenizers: readonly TokenizerId[], count: CountFn, chat: ChatKind | undefined, plain: () => Map<TokenizerId, TokenCount> = () => countByTokenizer([text], tokenizers, count)): Map<TokenizerId, TokenCount> {
  if (chat) {
    const parsed = parseChat(text, chat);
    if (parsed && parsed.conversations.length > 0) return countChat(parsed, tokenizers, count);
  }
  return plain();
}

/** Texts summed per tokenizer (selections, a hover's block); a single whole text of a chat file, as chat. */
export function countPromptTexts(texts: readonly string[], tokenizers: readonly TokenizerId[], count: CountFn, chat: ChatKind | undefined): Map<TokenizerId, TokenCount> {
  return texts.length === 1 ? countPrompt(texts[0], tokenizers, count, chat) : countByTokenizer(texts, tokenizers, count);
}
