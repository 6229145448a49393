// Runs the @vscode/test-electron suite (test/integration/suite/index.ts) in a downloaded VS Code:
//
//   npm run test:electron          (builds the extension, then runs this file)
//   node test/integration/runTest.mjs
//
// 1. bundles the suite to test/integration/out/index.js (cjs, `vscode` external);
// 2. downloads VS Code into <repo>/.vscode-test (or reuses a copy there, also when offline);
// 3. launches it on a temporary workspace holding copies of test/fixtures/prompts/*, with this repository as the
//    extension under development, and fails (non-zero exit) if any test fails.
//
// If VS Code cannot be obtained (no network, DNS failure, proxy refusing, a stalled download: any error before
// VS Code starts) the suite is SKIPPED with one line and exit code 0: the same checks run in a real VS Code through
// code-server (npm run test:e2e). Set TOKEN_COST_REQUIRE_VSCODE=1 to make that a failure instead (e.g. in CI).
//
// Environment:
//   VSCODE_TEST_VERSION                  VS Code version ('stable', 'insiders', '1.95.0'…); default: the newest
//                                        stable that satisfies engines.vscode
//   VSCODE_TEST_CACHE                    where VS Code is downloaded to / looked for (default <repo>/.vscode-test)
//   VSCODE_TEST_DOWNLOAD_TIMEOUT_MS      give up when the download makes no progress for this long (default 60000)
//   TOKEN_COST_REQUIRE_VSCODE=1          a failed download fails instead of skipping
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const SUITE_ENTRY = path.join(HERE, 'suite', 'index.ts');
const SUITE_OUT = path.join(HERE, 'out', 'index.js');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'prompts');
const CACHE_PATH = process.env.VSCODE_TEST_CACHE ? path.resolve(process.env.VSCODE_TEST_CACHE) : path.join(REPO_ROOT, '.vscode-test');
const STALL_MS = positiveInt(process.env.VSCODE_TEST_DOWNLOAD_TIMEOUT_MS, 60_000);
/** Even a download that keeps trickling in gives up after this long. */
const HARD_CAP_MS = Math.max(STALL_MS, 15 * 60_000);
const REQUIRE_VSCODE = /^(1|true|yes)$/i.test(process.env.TOKEN_COST_REQUIRE_VSCODE ?? '');

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Bundle the suite. A build error is a real failure, not a skip.

async function buildSuite() {
  await rm(path.dirname(SUITE_OUT), { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [SUITE_ENTRY],
    outfile: SUITE_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // Same as the extension bundle (esbuild.mjs): prefer ESM entries of dependencies.
    mainFields: ['module', 'main'],
    sourcemap: true,
    logLevel: 'warning',
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Download VS Code, bounded: the download is abandoned when it makes no progress for STALL_MS.

/** A short reason for an error and its causes: "getaddrinfo ENOTFOUND update.code.visualstudio.com". */
function describe(error) {
  const parts = [];
  const seen = new Set();
  for (let e = error; e && !seen.has(e) && parts.length < 4; e = e.cause) {
    seen.add(e);
    if (e instanceof AggregateError && e.errors?.length) {
      parts.push(...e.errors.slice(0, 2).map((x) => describe(x)));
      continue;
    }
    let msg = String(e?.message ?? e).split('\n')[0].trim();
    if (e?.code && !msg.includes(e.code)) msg = `${e.code}: ${msg}`;
    if (msg && !parts.includes(msg)) parts.push(msg);
  }
  return parts.join(': ') || 'unknown error';
}

async function downloadVSCode() {
  let lastError;
  let lastPercent = -1;
  let touch = () => {};
  const reporter = {
    report(r) {
      touch();
      switch (r.stage) {
        case 'resolvedVersion':
          console.log(`VS Code ${r.version}`);
          break;
        case 'foundMatchingInstall':
          console.log(`using ${path.relative(REPO_ROOT, r.downloadedPath) || r.downloadedPath}`);
          break;
        case 'downloading': {
          const percent = r.totalBytes ? Math.floor((r.bytesSoFar / r.totalBytes) * 10) * 10 : -1;
          if (percent !== lastPercent) {
            lastPercent = percent;
            console.log(`downloading VS Code… ${percent >= 0 ? `${percent}%` : `${Math.round(r.bytesSoFar / 1e6)} MB`}`);
          }
          break;
        }
        case 'retrying':
          lastError = r.error;
          console.log(`download failed (${describe(r.error)}); retry ${r.attempt} of ${r.totalAttempts}`);
          break;
        case 'newInstallComplete':
          console.log(`installed in ${path.relative(REPO_ROOT, r.downloadedPath) || r.downloadedPath}`);
          break;
        default:
          break;
      }
    },
    error(e) {
      lastError = e;
    },
  };

  let stallTimer;
  let capTimer;
  const bounded = new Promise((_, reject) => {
    const stalled = () => reject(new Error(`timed out: no progress for ${Math.round(STALL_MS / 1000)} s`));
    touch = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(stalled, STALL_MS);
    };
    touch();
    capTimer = setTimeout(() => reject(new Error(`timed out after ${Math.round(HARD_CAP_MS / 60_000)} min`)), HARD_CAP_MS);
  });
  const version = process.env.VSCODE_TEST_VERSION || undefined;
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({
        version,
        cachePath: CACHE_PATH,
        // With no version, the newest stable VS Code that satisfies engines.vscode in package.json.
        extensionDevelopmentPath: REPO_ROOT,
        reporter,
        // Per-request idle timeout inside @vscode/test-electron.
        timeout: Math.min(STALL_MS, 30_000),
      }),
      bounded,
    ]);
  } catch (error) {
    // "Failed to download and unzip VS Code x" hides the cause, which went to reporter.error.
    const reason = lastError && lastError !== error ? `${describe(error)}: ${describe(lastError)}` : describe(error);
    throw Object.assign(new Error(reason), { downloadFailed: true });
  } finally {
    clearTimeout(stallTimer);
    clearTimeout(capTimer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Run the suite in VS Code.

async function run() {
  await buildSuite();
  console.log(`bundled ${path.relative(REPO_ROOT, SUITE_OUT)} (${elapsed()})`);

  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadVSCode();
  } catch (error) {
    const reason = error?.downloadFailed ? error.message : describe(error);
    if (REQUIRE_VSCODE) {
      console.error(`FAILED @vscode/test-electron suite: cannot download VS Code (${reason}); TOKEN_COST_REQUIRE_VSCODE is set`);
      return 1;
    }
    console.log(`SKIPPED @vscode/test-electron suite: cannot download VS Code here (${reason}); the same checks run in code-server: npm run test:e2e`);
    return 0;
  }

  for (const needed of ['dist/extension.js', 'dist/tokenizers']) {
    if (!existsSync(path.join(REPO_ROOT, needed))) {
      console.error(`${needed} is missing: build the extension first (npm run build; npm run test:electron does)`);
      return 1;
    }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.warn('warning: no DISPLAY; VS Code needs one (run under xvfb-run -a, or set DISPLAY)');
  }

  const tmp = await mkdtemp(path.join(os.tmpdir(), 'token-cost-electron-'));
  try {
    const workspace = path.join(tmp, 'prompts-workspace');
    await mkdir(workspace, { recursive: true });
    for (const f of await readdir(FIXTURES)) await cp(path.join(FIXTURES, f), path.join(workspace, f), { recursive: true });
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_OUT,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        // English labels and number formats: the suite formats expected values with locale 'en'.
        '--locale=en',
        // A fresh profile: user settings written by the suite never leak into another run.
        `--user-data-dir=${path.join(tmp, 'user-data')}`,
        `--extensions-dir=${path.join(tmp, 'extensions')}`,
      ],
    });
    console.log(`@vscode/test-electron suite passed (${elapsed()})`);
    return 0;
  } catch (error) {
    console.error(`FAILED @vscode/test-electron suite: ${describe(error)} (${elapsed()})`);
    return 1;
  } finally {
    await rm(tmp, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

run().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
