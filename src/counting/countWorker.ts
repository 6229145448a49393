// The counting worker thread (Node): the CountingService over worker_threads, reading rank tables from disk.
import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { CountingService } from './countingService';
import { nodeTableLoader } from '../core/tokenizers/nodeTables';
import type { ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('countWorker must run as a worker thread');

const service = new CountingService({
  tables: nodeTableLoader((workerData as { tableDir: string }).tableDir),
  post: (m) => port.postMessage(m),
  // setImmediate runs after the messages that arrived meanwhile, so edits and newer requests get in between slices.
  yieldSlice: () => new Promise((resolve) => setImmediate(resolve)),
  // This thread's own isolate (process.memoryUsage() reports the whole process's RSS).
  memory: () => {
    const s = getHeapStatistics();
    return { heap: s.used_heap_size / 1048576, total: (s.total_physical_size + s.external_memory) / 1048576 };
  },
});
port.on('message', (m: ToWorker) => service.handle(m));
