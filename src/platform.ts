// What differs between the two hosts the extension runs in: the desktop/remote extension host (Node) and the browser's
// web worker extension host (vscode.dev, github.dev, code-server with remote.extensionKind "web"). Each entry
// (src/extension.ts, src/web/extension.ts) builds one and hands it to the shared wiring (src/activate.ts), so nothing
// else needs to know where it runs, and nothing reachable from the browser entry imports a Node module.
import type { WorkerClientOptions } from './counting/workerClient';
import type { TableReader } from './showTokens/showTokens';

/** Where counting runs and how the client starts it; the client's own callbacks (log, notices) are added by it. */
export type CountingOptions = Omit<WorkerClientOptions, 'log' | 'onInProcess'>;

export interface Platform {
  /** For the log: "node" (desktop, remote) or "web" (the browser's web worker extension host). */
  readonly host: 'node' | 'web';
  /** The user's home folder, for "~/" in tokenCost.tokenizers; none in a browser. */
  readonly home: string | undefined;
  /** Rank tables for Show Tokens (which tokenizes on the host): a folder read synchronously, or a reader. */
  readonly tables: string | TableReader;
  /** The extension host's heap in use, in MB, where it can tell (Node): for the trace log's memory breakdown. */
  hostHeapMb?(): number;
  /** The counting client's options; `log` writes the output channel (the choice of where counting runs, say). */
  counting(log: (line: string) => void): CountingOptions;
}
