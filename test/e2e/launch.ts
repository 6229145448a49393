/**
 * `npm start`: installs the freshly packaged extension and opens a folder of sample prompts.
 * - With VS Code's `code` on the PATH: installs the VSIX there and opens the samples in it.
 * - Otherwise: a local code-server (set up by toolchain.sh, cached in .vscode-test/) on 127.0.0.1 with the extension
 *   installed; prints the URL to open and runs until Ctrl+C. Set PORT to choose the port (default: a free one).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as h from './harness';

const VSIX = path.join(h.REPO_ROOT, 'dist', 'token-cost.vsix');
const HOME = path.join(h.CACHE_DIR, 'start');
const SAMPLES = path.join(HOME, 'sample-prompts');

async function samples(): Promise<string> {
  await fs.mkdir(SAMPLES, { recursive: true });
  const src = path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts');
  for (const f of await fs.readdir(src)) {
    const dest = path.join(SAMPLES, f);
    // Keep the user's edits to the samples across runs.
    await fs.copyFile(path.join(src, f), dest, fs.constants.COPYFILE_EXCL).catch(() => undefined);
  }
  return SAMPLES;
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

async function main(): Promise<void> {
  const folder = await samples();
  if (onPath('code') && !process.env.TOKEN_COST_USE_CODE_SERVER) {
    const r = spawnSync('code', ['--install-extension', VSIX, '--force'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('code --install-extension failed');
    spawnSync('code', [folder], { stdio: 'inherit' });
    console.log(`Token Cost is installed in VS Code; opened ${folder}.`);
    return;
  }
  const toolchain = spawnSync('bash', [path.join(h.REPO_ROOT, 'test', 'e2e', 'toolchain.sh')], { stdio: 'inherit' });
  if (toolchain.status !== 0) throw new Error('toolchain.sh failed');
  const extensionsDir = path.join(HOME, 'extensions');
  await h.installExtension({ extensionsDir, vsix: VSIX });
  const port = process.env.PORT;
  const server = await h.startCodeServer({
    extensionsDir,
    userDataDir: path.join(HOME, 'user-data'),
    workspace: folder,
    extraArgs: port ? ['--bind-addr', `127.0.0.1:${port}`] : [],
    // The test defaults that change typing (auto-closing pairs, hover delays) are not for people.
    settings: {
      'editor.autoClosingBrackets': undefined,
      'editor.autoClosingQuotes': undefined,
      'editor.autoSurround': undefined,
      'editor.quickSuggestions': undefined,
      'editor.suggestOnTriggerCharacters': undefined,
      'editor.parameterHints.enabled': undefined,
      'editor.hover.delay': undefined,
      'workbench.hover.delay': undefined,
    },
  });
  console.log(`\nToken Cost is running in VS Code (code-server) with sample prompts.\nOpen ${server.url}/?folder=${encodeURIComponent(folder)}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

main().catch((e) => {
  console.error(`npm start: ${(e as Error).message}`);
  process.exit(1);
});
