// Where counting runs in the browser's web worker extension host (vscode.dev, github.dev, code-server forced to web):
// a Web Worker made from the extension's own dist/web/worker.js when the host allows one, else the extension host
// itself in short time slices (the in-host port). VS Code refuses workers for an extension served from a
// vscode-remote: URI (code-server, Codespaces in a browser: "Creating workers from remote extensions is currently not
// supported"), so that case goes to the in-host port at once; a Worker constructor that throws does too.
import * as vscode from 'vscode';
import type { CountingOptions } from '../platform';
import type { FromWorker, ToWorker } from './protocol';
import type { CountingPort, StartPort } from './workerClient';
import { inProcessPort } from './inProcessPort';
import type { ExactTokenizerId } from '../core/prices/types';

/** The few members of a browser's Worker this uses (the project's types have no DOM library). */
interface BrowserWorker {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  terminate(): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  onerror: ((e: { message?: string; preventDefault?(): void }) => void) | null;
  onmessageerror: ((e: unknown) => void) | null;
}
type WorkerConstructor = new (url: string, options?: { name?: string }) => BrowserWorker;

/** Why a Web Worker cannot be used for an extension at this URI, or undefined when it can. */
export function workerRefusal(extensionUri: vscode.Uri, hasWorker: boolean): string | undefined {
  if (!hasWorker) return 'this host has no Web Worker';
  if (extensionUri.scheme === 'vscode-remote') return 'the extension is served from a vscode-remote: URI, where VS Code creates no Web Worker';
  return undefined;
}

/** The counting options for the browser entry: the Web Worker (or the in-host port), tables sent as bytes. */
export function webCounting(extensionUri: vscode.Uri, tables: (file: ExactTokenizerId) => Promise<Uint8Array>, log: (line: string) => void): CountingOptions {
  const fallback = inProcessPort();
  return { start: webWorkerStart(extensionUri, fallback, log), fallback, tableBytes: (file) => tables(file as ExactTokenizerId) };
}

export function webWorkerStart(extensionUri: vscode.Uri, fallback: StartPort, log: (line: string) => void): StartPort {
  let said = '';
  const say = (line: string) => {
    if (line !== said) log(line);
    said = line;
  };
  return (events) => {
    const Ctor = (globalThis as { Worker?: WorkerConstructor }).Worker;
    const refusal = workerRefusal(extensionUri, typeof Ctor === 'function');
    if (refusal) {
      say(`counting in: extension host (time-sliced), because ${refusal}`);
      return fallback(events);
    }
    let w: BrowserWorker;
    try {
      w = new Ctor!(vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'worker.js').toString(true), { name: 'Token Cost counting' });
    } catch (e) {
      say(`counting in: extension host (time-sliced), because no Web Worker could be created (${(e as Error).message})`);
      return fallback(events);
    }
    say('counting in: web worker');
    w.onmessage = (e) => events.message(e.data);
    w.onerror = (e) => {
      e.preventDefault?.();
      events.died(new Error(e.message || 'the counting worker failed to load or crashed'));
    };
    w.onmessageerror = () => events.died(new Error('a message from the counting worker could not be read'));
    const port: CountingPort = {
      post: (m: ToWorker, transfer?: ArrayBuffer[]) => w.postMessage(m, transfer ?? []),
      terminate: () => w.terminate(),
    };
    return port;
  };
}
