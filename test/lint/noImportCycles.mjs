// A lint rule that fails on import cycles among src/ modules, type-only imports included (import-x/no-cycle skips
// those, but a type cycle still couples two modules: the layout should read one way).
import ts from 'typescript';
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';

const graphs = new Map();

function resolveImport(fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const c of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile() && c.endsWith('.ts')) return c;
  return undefined;
}

function importsOf(file) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter(Boolean);
}

/** Every cycle through `start`, as the shortest route back to it (breadth-first), or undefined. */
function cycleThrough(start, edges) {
  const prev = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const at = queue.shift();
    for (const next of edges(at)) {
      if (next === start) {
        const route = [at];
        for (let p = prev.get(at); p !== undefined; p = prev.get(p)) route.unshift(p);
        return route;
      }
      if (!prev.has(next)) {
        prev.set(next, at);
        queue.push(next);
      }
    }
  }
  return undefined;
}

export const noImportCycles = {
  meta: { type: 'problem', docs: { description: 'no import cycles, type-only imports included' }, schema: [] },
  create(context) {
    const file = context.filename;
    const cwd = context.cwd;
    let cache = graphs.get(cwd);
    if (!cache) graphs.set(cwd, (cache = new Map()));
    const edges = (f) => {
      let e = cache.get(f);
      if (!e) cache.set(f, (e = existsSync(f) ? importsOf(f) : []));
      return e;
    };
    return {
      Program(node) {
        const route = cycleThrough(file, edges);
        if (route) {
          const names = [...route, file].map((f) => path.relative(cwd, f));
          context.report({ node, message: `import cycle: ${names.join(' → ')}` });
        }
      },
    };
  },
};
