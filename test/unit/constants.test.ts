// The ids and defaults in src/constants.ts must be the ones package.json declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, ContextKeys, Defaults, SETTINGS_SECTION, Views } from '../../src/constants';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const contributes = manifest.contributes;

test('every command in constants is contributed, and every contributed command is in constants', () => {
  const declared = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
  assert.deepEqual([...declared].sort(), Object.values(Commands).sort());
});

test('view ids match the manifest and its activation events', () => {
  const views = Object.values(contributes.views).flat() as { id: string }[];
  assert.ok(views.some((v) => v.id === Views.promptCosts), `view ${Views.promptCosts} is declared`);
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${Views.panel}`), 'the panel restores through its activation event');
});

test('context keys are the ones the manifest\'s when clauses use', () => {
  const text = JSON.stringify(contributes);
  for (const key of Object.values(ContextKeys)) assert.match(text, new RegExp(`\\b${key.replace(/\./g, '\\.')}\\b`), key);
});

test('defaults equal the settings\' declared defaults', () => {
  const props = contributes.configuration.properties ?? Object.assign({}, ...contributes.configuration.map((c: { properties: object }) => c.properties));
  assert.equal(props[`${SETTINGS_SECTION}.defaultModel`].default, Defaults.defaultModel);
  assert.equal(props[`${SETTINGS_SECTION}.exchangeRate`].default, Defaults.exchangeRate);
  assert.equal(props[`${SETTINGS_SECTION}.maxFileSize`].default, Defaults.maxFileSize);
});
