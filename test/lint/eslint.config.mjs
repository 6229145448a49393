// Lint: the layout's boundaries, enforced (run by `npm test` as `npm run lint`).
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import { noImportCycles } from './noImportCycles.mjs';

// Node-only modules: the Node entry, the CLI, the build, the worker thread and what only they import. Everything
// else is reachable from the browser entry (src/web/extension.ts) and may import no Node built-in.
const NODE_ONLY = ['src/extension.ts', 'src/cli/**', 'src/build/**', 'src/counting/countWorker.ts', 'src/counting/nodeWorkerPort.ts', 'src/core/tokenizers/nodeTables.ts'];

const HOST_FOLDERS = ['budgets', 'cli', 'commands', 'counting', 'hover', 'live', 'panel', 'promptCosts', 'services', 'statusBar', 'webview', 'build'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test/e2e/selftest-extension/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: { allowDefaultProject: [] }, tsconfigRootDir: process.cwd() },
    },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'] })] },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX, local: { rules: { 'no-import-cycles': noImportCycles } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      'import-x/no-default-export': 'error',
      'local/no-import-cycles': 'error',
    },
  },
  {
    // The core runs in plain Node (the CLI, the worker) and in tests: no editor API, no host module.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core runs without VS Code.' }] }],
      'import-x/no-restricted-paths': ['error', { zones: HOST_FOLDERS.map((f) => ({ target: './src/core', from: `./src/${f}`, message: 'src/core may not import host modules.' })).concat([{ target: './src/core', from: './src/extension.ts' }]) }],
    },
  },
  {
    // The webview runs in the panel's browser context: no editor API, no Node.
    files: ['src/webview/**/*.ts', 'src/panel/protocol.ts', 'src/panel/links.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'the webview has no VS Code API; use the message protocol.' }], patterns: [{ group: ['node:*'], message: 'the webview runs in a browser.' }] }],
      // Only the shared protocol, links and the pure core: nothing of the extension host.
      'import-x/no-restricted-paths': ['error', { zones: HOST_FOLDERS.filter((f) => f !== 'webview').map((f) => ({ target: './src/webview', from: `./src/${f}`, except: f === 'panel' ? ['./protocol.ts', './links.ts'] : [], message: 'the webview may import only the panel protocol, links and src/core.' })) }],
    },
  },
  {
    // The browser bundle (vscode.dev, github.dev) has no Node: neither `node:fs` nor bare `fs`, `path`, `os`...
    files: ['src/**/*.ts'],
    ignores: NODE_ONLY,
    rules: { 'import-x/no-nodejs-modules': ['error'] },
  },
);
