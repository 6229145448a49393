import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeHttpsUrl } from '../../../src/panel/links';

test('accepts plain https URLs', () => {
  assert.equal(safeHttpsUrl('https://api-docs.deepseek.com/quick_start/pricing?check=20261115'), 'https://api-docs.deepseek.com/quick_start/pricing?check=20261115');
  assert.equal(safeHttpsUrl('HTTPS://Example.COM/a'), 'https://example.com/a');
  assert.equal(safeHttpsUrl('https://en.wikipedia.org/wiki/Foo_(bar)'), 'https://en.wikipedia.org/wiki/Foo_(bar)');
});

test('extracts the first https URL from a citation', () => {
  assert.equal(
    safeHttpsUrl('syaoranwe/LLM-Price README.md@5da799d (2024-05-23); https://coolwj.com/news/day/2025-02-26 (证券时报)'),
    'https://coolwj.com/news/day/2025-02-26',
  );
  assert.equal(safeHttpsUrl('see https://a.example/x; https://b.example/y'), 'https://a.example/x');
  assert.equal(safeHttpsUrl('(from https://a.example/pricing).'), 'https://a.example/pricing');
  assert.equal(safeHttpsUrl('http://plain.example/ then https://secure.example/p'), 'https://secure.example/p');
  assert.equal(safeHttpsUrl('https://user:pw@evil.example/ then https://ok.example/'), 'https://ok.example/');
});

test('citations without a URL give undefined', () => {
  assert.equal(safeHttpsUrl('BerriAI/litellm model_prices_and_context_window.json (snapshot via RoCry/llm-api-price, last_updated 2026-07-24)'), undefined);
  assert.equal(safeHttpsUrl('project source news (2024 price war)'), undefined);
});

test('rejects other schemes, credentials and garbage', () => {
  for (const bad of [
    'http://example.com/pricing',
    'javascript:alert(1)',
    'javascript://https://example.com/%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'vscode://some.extension/x',
    'command:workbench.action.terminal.new',
    'https://user:pw@host.example/',
    'https://user@host.example/',
    'https://',
    'https:///path',
    'https://exa mple.com',
    'xhttps://example.com',
    '',
    '   ',
    `https://example.com/${'a'.repeat(3000)}`,
  ]) {
    assert.equal(safeHttpsUrl(bad), undefined, bad);
  }
  assert.equal(safeHttpsUrl(undefined as unknown as string), undefined);
  assert.equal(safeHttpsUrl(42 as unknown as string), undefined);
});
