// The counting Web Worker (the browser entry's; Node uses ./countWorker.ts on worker_threads). Everything it does is
// the shared CountingService; rank tables arrive as bytes in `table` messages, sent by the client before the first
// count that needs each, since a Web Worker has no vscode.workspace.fs.
import { CountingService } from './countingService';
import type { FromWorker, ToWorker } from './protocol';

/** What this uses of a dedicated worker's global scope (the project's types have no DOM library). */
interface WorkerScope {
  postMessage(m: FromWorker): void;
  onmessage: ((e: { data: ToWorker }) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
const service = new CountingService({
  post: (m) => scope.postMessage(m),
  // A macrotask between slices, so newer messages (edits, a newer count) are seen before the next slice.
  yieldSlice: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
});
scope.onmessage = (e) => service.handle(e.data);
