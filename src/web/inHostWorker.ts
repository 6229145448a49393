// `node:worker_threads` for the browser bundle (esbuild.mjs maps the import here): the counting "worker" runs in the
// web worker extension host itself, on its thread (which is not the editor's: the browser runs the whole extension
// host in a Web Worker, so typing never waits for it). The unchanged worker module (../counting/countWorker.ts) is
// evaluated against this file's `parentPort`; messages are delivered asynchronously, in order, after every rank table
// has been read with vscode.workspace.fs (a count needs its table synchronously).
// Interim: the lead's CountingService/port split replaces this with a real Web Worker where the host allows one and
// time-sliced in-host counting where it does not (vscode-remote: URIs).
import { provideTable } from '../core/tokenizers/nodeTables.web';
import { EXACT_TOKENIZER_IDS } from '../core/prices/types';
import { tableOf } from '../core/tokenizers/rankTable';

type Listener = (value: never) => void;

let readTable: ((file: string) => Promise<Uint8Array>) | undefined;
let tablesRead: Promise<void> | undefined;

/** Set by the browser entry: how a rank table file is read. */
export function useTableReader(read: (file: string) => Promise<Uint8Array>): void {
  readTable = read;
}

function readAllTables(): Promise<void> {
  if (!tablesRead) {
    const files = [...new Set(EXACT_TOKENIZER_IDS.map((id) => tableOf(id).file))];
    tablesRead = Promise.all(
      files.map(async (f) => {
        if (!readTable) throw new Error('no table reader');
        provideTable(f, await readTable(f));
      }),
    ).then(() => undefined);
  }
  return tablesRead;
}

interface Port {
  on(event: string, fn: Listener): Port;
  postMessage(m: unknown): void;
}

export let parentPort: Port | null = null;
export let workerData: unknown;

export class Worker {
  private readonly listeners = new Map<string, Listener[]>();
  private toWorker: Listener | undefined;
  private terminated = false;
  private readonly ready: Promise<void>;

  constructor(_path: string, options: { workerData?: unknown } = {}) {
    workerData = options.workerData;
    parentPort = {
      on: (event, fn) => {
        if (event === 'message') this.toWorker = fn;
        return parentPort!;
      },
      postMessage: (m) => setTimeout(() => !this.terminated && this.emit('message', m), 0),
    };
    this.ready = readAllTables();
    // Evaluated once, on the first start; it registers its message handler on the port above.
    require('../counting/countWorker');
  }

  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }

  postMessage(m: unknown): void {
    // Structured-clone-like isolation, as between threads; then delivered in order once the tables are read.
    const copy = structuredClone(m);
    this.ready.then(
      () => !this.terminated && this.toWorker?.(copy as never),
      (e: Error) => this.emit('error', e),
    );
  }

  ref(): void {}
  unref(): void {}

  terminate(): Promise<number> {
    this.terminated = true;
    return Promise.resolve(0);
  }

  private emit(event: string, value: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(value as never);
  }
}
