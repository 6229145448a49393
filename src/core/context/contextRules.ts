// Each tool's documented rule for when its instruction file is sent and what of it is sent, with the page it comes
// from. The English text goes into the CLI's output and JSON; the extension shows a translation of the same id.

export type ContextTool = 'agents' | 'claude' | 'gemini' | 'copilot' | 'cursor' | 'cline' | 'windsurf';

export const TOOL_NAMES: Readonly<Record<ContextTool, string>> = {
  agents: 'AGENTS.md',
  claude: 'Claude Code',
  gemini: 'Gemini CLI',
  copilot: 'GitHub Copilot',
  cursor: 'Cursor',
  cline: 'Cline',
  windsurf: 'Windsurf',
};

export type ContextRuleId =
  | 'agents-nearest'
  | 'claude-memory'
  | 'claude-import'
  | 'gemini-hierarchy'
  | 'gemini-import'
  | 'copilot-repo'
  | 'copilot-path'
  | 'copilot-path-manual'
  | 'cursor-always'
  | 'cursor-glob'
  | 'cursor-requested'
  | 'cursor-manual'
  | 'cursor-legacy'
  | 'cline-file'
  | 'cline-folder'
  | 'cline-paths'
  | 'windsurf-legacy'
  | 'windsurf-always'
  | 'windsurf-glob'
  | 'windsurf-model'
  | 'windsurf-manual';

export interface ContextRule {
  /** When it is sent and what of it counts, in one sentence. */
  text: string;
  url: string;
}

const AGENTS = 'https://agents.md/';
const CLAUDE = 'https://docs.anthropic.com/en/docs/claude-code/memory';
const GEMINI = 'https://geminicli.com/docs/cli/gemini-md';
const COPILOT_REPO = 'https://docs.github.com/en/copilot/how-tos/configure-custom-instructions/add-repository-instructions';
const COPILOT_PATH = 'https://code.visualstudio.com/docs/copilot/customization/custom-instructions';
const CURSOR = 'https://docs.cursor.com/context/rules';
const CLINE = 'https://docs.cline.bot/features/cline-rules/overview';
const CLINE_PATHS = 'https://docs.cline.bot/features/cline-rules/conditional-rules';
const WINDSURF = 'https://docs.windsurf.com/windsurf/cascade/memories';

export const CONTEXT_RULES: Readonly<Record<ContextRuleId, ContextRule>> = {
  'agents-nearest': { text: 'the nearest AGENTS.md above the edited file wins; the whole file is sent', url: AGENTS },
  'claude-memory': {
    text: 'CLAUDE.md in the launch folder and its parents is loaded at start, one in a subfolder when Claude reads files there; the whole file is sent, with its @imports',
    url: CLAUDE,
  },
  'claude-import': { text: 'imported with @path by a CLAUDE.md that is sent (up to 5 hops; not inside code); sent with it', url: CLAUDE },
  'gemini-hierarchy': {
    text: 'every GEMINI.md in the workspace folder and, when a tool reads a file, in its folder and their parents is concatenated and sent with every prompt; the whole file, with its @imports',
    url: GEMINI,
  },
  'gemini-import': { text: 'imported with @path by a GEMINI.md that is sent; sent with it', url: GEMINI },
  'copilot-repo': { text: 'applies to every request in the repository; the whole file is sent', url: COPILOT_REPO },
  'copilot-path': { text: 'sent for files matching applyTo (comma-separated globs from the workspace root); the text after the front matter counts', url: COPILOT_PATH },
  'copilot-path-manual': { text: 'no applyTo: not applied automatically, only when attached by hand', url: COPILOT_PATH },
  'cursor-always': { text: 'alwaysApply: true: sent with every request; the text after the front matter counts', url: CURSOR },
  'cursor-glob': { text: 'auto attached when a file matching globs is in the context; the text after the front matter counts', url: CURSOR },
  'cursor-requested': { text: 'agent requested: only its description is offered, the rule is sent when the agent asks for it', url: CURSOR },
  'cursor-manual': { text: 'manual: sent only when mentioned with @rule', url: CURSOR },
  'cursor-legacy': { text: 'legacy .cursorrules: sent with every request; the whole file', url: CURSOR },
  'cline-file': { text: 'a .clinerules file: sent with every task; the whole file', url: CLINE },
  'cline-folder': { text: 'every Markdown file in .clinerules/ is combined and sent with every task; the text after any front matter counts', url: CLINE },
  'cline-paths': { text: 'conditional: sent when a file you work on matches paths; the text after the front matter counts', url: CLINE_PATHS },
  'windsurf-legacy': { text: '.windsurfrules: workspace rules, always on; the whole file', url: WINDSURF },
  'windsurf-always': { text: 'trigger: always_on: sent with every request; the text after the front matter counts', url: WINDSURF },
  'windsurf-glob': { text: 'trigger: glob: sent for files matching globs; the text after the front matter counts', url: WINDSURF },
  'windsurf-model': { text: 'trigger: model_decision: the model decides from its description; not always sent', url: WINDSURF },
  'windsurf-manual': { text: 'manual: sent only when @mentioned', url: WINDSURF },
};

/** The rule as one English string with its source: what the CLI prints and its JSON `rule`. */
export function ruleString(id: ContextRuleId): string {
  const r = CONTEXT_RULES[id];
  return `${r.text} (${r.url})`;
}
