// Front matter of rule files (.instructions.md, .mdc, .clinerules/*.md, .windsurf/rules/*.md): the block between a
// `---` first line and the next `---` line. Read leniently line by line, not as YAML: Cursor's own editor writes
// `globs: *.ts` unquoted, which a YAML parser rejects (`*` starts an alias), and such a rule works in Cursor.
// Values: a scalar (quotes removed), a flow list `[a, b]`, or a block list of `- item` lines under an empty key.

export type FrontMatterValue = string | boolean | string[];

export interface RuleFrontMatter {
  /** Lower-cased keys. */
  fields: ReadonlyMap<string, FrontMatterValue>;
  /** The text after the closing fence: what the tools send as the rule. The whole text when there is no block. */
  body: string;
  /** A `---` block was found and closed. */
  present: boolean;
}

const FENCE = /^---[ \t]*$/;

export function parseRuleFrontMatter(text: string): RuleFrontMatter {
  const none: RuleFrontMatter = { fields: new Map(), body: text, present: false };
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = src.split(/\r?\n/);
  if (lines.length < 2 || !FENCE.test(lines[0])) return none;
  const end = lines.findIndex((l, i) => i > 0 && FENCE.test(l));
  if (end < 0) return none;
  const fields = new Map<string, FrontMatterValue>();
  let listKey: string | undefined;
  for (const line of lines.slice(1, end)) {
    const item = /^\s+-\s*(.*)$/.exec(line) ?? (listKey ? /^-\s+(.*)$/.exec(line) : null);
    if (item && listKey) {
      const prev = fields.get(listKey);
      const v = unquote(stripComment(item[1]));
      if (v) fields.set(listKey, [...(Array.isArray(prev) ? prev : []), v]);
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1].toLowerCase();
    const raw = stripComment(kv[2]);
    listKey = undefined;
    if (raw === '') {
      listKey = key;
      fields.set(key, []);
    } else if (raw.startsWith('[') && raw.endsWith(']')) {
      fields.set(key, splitList(raw.slice(1, -1)));
    } else if (raw === 'true' || raw === 'false') {
      fields.set(key, raw === 'true');
    } else fields.set(key, unquote(raw));
  }
  // The body starts after the fence line; offsets are taken in the original text (BOM and line endings kept).
  const offset = src.split(/(?<=\n)/).slice(0, end + 1).join('').length + (src === text ? 0 : 1);
  return { fields, body: text.slice(offset), present: true };
}

/** A field as a list of globs: a list, or a comma-separated string (`"**\/*.ts, **\/*.tsx"`). */
export function globList(v: FrontMatterValue | undefined): string[] {
  if (v === undefined || typeof v === 'boolean') return [];
  const parts = Array.isArray(v) ? v.flatMap((s) => splitList(s)) : splitList(v);
  return parts.filter(Boolean);
}

function splitList(s: string): string[] {
  // Commas inside {a,b} braces belong to the glob.
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => unquote(p.trim())).filter(Boolean);
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/** A ` #` comment ends a plain value; inside quotes it is text. */
function stripComment(s: string): string {
  const t = s.trim();
  if (t.startsWith('"') || t.startsWith("'")) {
    // A quoted value ends at its closing quote; anything after it (a comment) is dropped.
    const close = t.indexOf(t[0], 1);
    return close < 0 ? t : t.slice(0, close + 1);
  }
  const i = t.search(/\s#/);
  return (i < 0 ? t : t.slice(0, i)).trim();
}
