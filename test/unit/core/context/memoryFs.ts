// An in-memory ContextFs for the discovery tests: a map of relative paths to file texts (null: present, unreadable).
import type { ContextDirEntry, ContextFs } from '../../../../src/core/context/contextFiles';

export function memoryFs(files: Record<string, string | null>): ContextFs & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async list(dir) {
      const prefix = dir === '' ? '' : dir + '/';
      const out = new Map<string, ContextDirEntry>();
      for (const p of Object.keys(files)) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length).split('/');
        out.set(rest[0], { name: rest[0], directory: rest.length > 1 });
      }
      return out.size || dir === '' ? [...out.values()] : undefined;
    },
    async read(path) {
      reads.push(path);
      if (!(path in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      const text = files[path];
      if (text === null) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return new TextEncoder().encode(text);
    },
  };
}
