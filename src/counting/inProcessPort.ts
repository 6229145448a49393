// Counting in the extension host itself, for hosts that cannot run a worker (VS Code's web extension host when the
// extension is served from a vscode-remote: URI) and after the worker died repeatedly. The same CountingService runs
// here in slices of a few milliseconds, newest and most urgent request first, so typing is never blocked for longer.
import { CountingService } from './countingService';
import type { TableLoader } from '../core/tokenizers/rankTable';
import type { StartPort } from './workerClient';

/** Shorter than a worker's slice: here every slice delays the editor's own work. */
const IN_HOST_SLICE_MS = 8;

/**
 * Yields to the host's event loop through a MessageChannel (Node and browsers): a macrotask without setTimeout's
 * 4 ms clamp on nested timers in browsers, so pending edits and requests run between two slices.
 */
function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    // Typed loosely: the project's types have no DOM library, and Node's MessagePort has the same members.
    const ch = new MessageChannel() as unknown as { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(m: unknown): void } };
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(undefined);
  });
}

/** `tables`: reads a table's bytes; without it the client sends them (WorkerClientOptions.tableBytes). */
export function inProcessPort(tables?: TableLoader): StartPort {
  return (events) => {
    let closed = false;
    const service = new CountingService({
      tables,
      // Replies go out asynchronously, as from a worker, so callers never see a reply before their request returns.
      post: (m) => queueMicrotask(() => !closed && events.message(m)),
      yieldSlice: yieldToHost,
      sliceMs: IN_HOST_SLICE_MS,
    });
    return {
      post: (m) => {
        // Structured-clone semantics matter less here, but a caller must not see its later edits in a queued request.
        if (!closed) service.handle(m.type === 'count' ? { ...m, tokenizers: [...m.tokenizers], texts: m.texts && [...m.texts] } : m);
      },
      terminate: () => {
        closed = true;
      },
    };
  };
}
