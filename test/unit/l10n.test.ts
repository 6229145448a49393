// Every UI string has a Simplified Chinese translation: the runtime strings (vscode.l10n.t) and the manifest's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every vscode.l10n.t string has a zh-cn translation with the same placeholders', () => {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'src/l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const used = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    // Pure view modules take vscode.l10n.t as a `t` parameter (statusBarView.ts): their strings count too.
    for (const m of text.matchAll(/(?:l10n\.t|\bt)\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(m[1].replace(/\\'/g, "'"));
    assert.doesNotMatch(text, /l10n\.t\(\s*[`"]/, `${file}: use single-quoted literals so strings can be checked`);
  }
  assert.ok(used.size > 40);
  const missing = [...used].filter((s) => !(s in bundle));
  assert.deepEqual(missing, []);
  for (const [en, zh] of Object.entries(bundle)) {
    const ph = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
    assert.equal(ph(zh), ph(en), `placeholders differ: ${en}`);
  }
});

test('the manifest strings exist in English and Chinese, and every %key% is defined', () => {
  const en = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));
  const zh = JSON.parse(readFileSync(join(ROOT, 'package.nls.zh-cn.json'), 'utf8'));
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
  for (const m of manifest.matchAll(/"%([^%"]+)%"/g)) assert.ok(m[1] in en, `package.json uses %${m[1]}% but package.nls.json lacks it`);
});

test('settings follow the manifest conventions: markdownDescription, explicit scope, enumDescriptions', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const [key, p] of Object.entries<Record<string, unknown>>(pkg.contributes.configuration.properties)) {
    assert.ok(p.markdownDescription, `${key} has a markdownDescription`);
    assert.ok(p.scope, `${key} has an explicit scope`);
    if (p.enum) assert.equal((p.enumDescriptions as unknown[])?.length, (p.enum as unknown[]).length, `${key} describes each enum value`);
  }
  for (const c of pkg.contributes.commands) assert.equal(c.category, '%category%');
});
