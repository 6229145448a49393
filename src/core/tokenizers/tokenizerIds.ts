import type { ExactTokenizerId, TokenizerId } from '../prices/types';
import { ESTIMATE_TOKENIZER_IDS, EXACT_TOKENIZER_IDS } from '../prices/types';

export function isExactTokenizer(id: string): id is ExactTokenizerId {
  return (EXACT_TOKENIZER_IDS as readonly string[]).includes(id);
}

export function isKnownTokenizer(id: string): id is TokenizerId {
  return isExactTokenizer(id) || (ESTIMATE_TOKENIZER_IDS as readonly string[]).includes(id);
}
