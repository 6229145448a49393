// The counting worker (worker_threads). Holds the documents it was sent as chunked text and counts incrementally.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkedText } from '../core/incremental/chunkedText';
import { DocumentCounter } from '../core/incremental/documentCounter';
import { countCharacters } from '../core/textInput';
import { countPrompt, countPromptTexts } from '../core/countPrompt';
import type { FromWorker, ToWorker } from './protocol';
import type { TokenizerId } from '../core/prices/types';

const port = parentPort;
if (!port) throw new Error('countWorker must run as a worker thread');

const counter = new DocumentCounter((workerData as { tableDir: string }).tableDir);
const docs = new Map<string, { version: number; text: ChunkedText }>();

function reply(m: FromWorker): void {
  port!.postMessage(m);
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'open':
      docs.set(m.doc, { version: m.version, text: new ChunkedText(m.text) });
      return;
    case 'change': {
      const d = docs.get(m.doc);
      if (!d) return;
      try {
        d.text.applyChanges(m.changes);
        d.version = m.version;
      } catch {
        docs.delete(m.doc); // out of sync: the next count asks for a resync
      }
      return;
    }
    case 'close':
      docs.delete(m.doc);
      return;
    case 'release':
      counter.release();
      return;
    case 'tokenizers': {
      const statuses = counter.setUserTokenizers(m.sources);
      if (m.id) reply({ type: 'tokenizers', id: m.id, statuses });
      return;
    }
    case 'count': {
      const t0 = performance.now();
      try {
        if (m.texts) {
          const count = (id: TokenizerId, t: string) => counter.countText(t, id);
          const counts = [...countPromptTexts(m.texts, m.tokenizers, count, m.chat).values()];
          const characters = m.texts.reduce((n, t) => n + countCharacters(t), 0);
          reply({ type: 'counted', id: m.id, counts, characters, ms: performance.now() - t0 });
          return;
        }
        const d = m.doc ? docs.get(m.doc) : undefined;
        if (!d || d.version !== m.version) {
          reply({ type: 'failed', id: m.id, message: 'document not in sync', resync: true });
          return;
        }
        // Chat files: the messages (each cached by content, so an edit re-tokenizes only its message) plus overhead.
        const counts = [...countPrompt(m.chat ? d.text.toString() : '', m.tokenizers, (id, t) => counter.countText(t, id), m.chat, () => new Map(m.tokenizers.map((id) => [id, counter.count(d.text, id)]))).values()];
        // Code points, kept incrementally like the counts.
        const characters = d.text.total('chars', countCharacters);
        reply({ type: 'counted', id: m.id, counts, characters, ms: performance.now() - t0 });
      } catch (e) {
        reply({ type: 'failed', id: m.id, message: (e as Error).message });
      }
    }
  }
});
