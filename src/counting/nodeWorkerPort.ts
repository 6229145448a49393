// The Node side of counting: a worker_threads worker running dist/worker.js, and the in-host fallback reading tables
// from disk. Apart from workerClient.ts so the client itself runs where there are no worker_threads (a browser).
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { nodeTableLoader } from '../core/tokenizers/nodeTables';
import { inProcessPort } from './inProcessPort';
import type { FromWorker } from './protocol';
import type { StartPort } from './workerClient';

/** The worker's heap cap: the tables, a 16 MB document's chunks and caches fit with room to spare. */
export const WORKER_HEAP_MB = 1536;
/**
 * Its young generation. V8 sizes it from the heap cap (tens of MB, kept committed); counting allocates mostly
 * short-lived piece strings, and 4 MB keeps about the same speed on a 4 MB document with 9 tokenizers while the
 * worker's committed memory after 30 edits falls by a quarter (test/bench/workerMemory.bench.ts).
 */
export const WORKER_YOUNG_MB = 4;

export interface NodeCountingOptions {
  workerPath: string;
  tableDir: string;
  /** A runaway worker (a pathological text) then dies alone with ERR_WORKER_OUT_OF_MEMORY instead of the host. */
  resourceLimits?: ResourceLimits;
}

export function nodeWorkerPort(o: NodeCountingOptions): StartPort {
  return (events) => {
    // `name`: the thread's name in profilers and /proc (Node 22+), so its CPU time can be told apart.
    const w = new Worker(o.workerPath, { name: 'token-cost', workerData: { tableDir: o.tableDir }, resourceLimits: o.resourceLimits ?? { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    w.on('message', (m: FromWorker) => events.message(m));
    w.on('error', (e) => events.died(e));
    w.on('exit', (code) => events.died(new Error(`worker exited with code ${code}`)));
    // Referenced only while a count is pending: an idle worker never keeps a process (the CLI, tests) alive.
    w.unref();
    return {
      post: (m, transfer) => w.postMessage(m, transfer),
      ref: () => w.ref(),
      unref: () => w.unref(),
      terminate: () => void w.terminate(),
    };
  };
}

/** The WorkerClient options for Node: a worker thread, and counting in the host from disk if it keeps dying. */
export function nodeCounting(o: NodeCountingOptions): { start: StartPort; fallback: StartPort } {
  return { start: nodeWorkerPort(o), fallback: inProcessPort(nodeTableLoader(o.tableDir)) };
}
