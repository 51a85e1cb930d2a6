import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The architecture, checked: imports go one way. `shared/` is what both sides use and imports
 * neither; `producer/` and `consumer/` do not import each other; Worker code never imports the
 * operator scripts or the tests; no file and no folder is part of an import cycle.
 */
const root = resolve(import.meta.dirname, '../..');
const TOP = ['worker.ts', 'producer', 'consumer', 'shared', 'scripts', 'test'];

function sourceFiles(path: string): string[] {
  const full = join(root, path);
  if (path.endsWith('.ts')) return [path];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(path, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [join(path, entry.name)] : [],
  );
}

/** Relative imports of a file (static, type-only and dynamic), as paths from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specifiers.map((spec) => relative(root, resolve(root, dirname(file), spec)));
}

const files = TOP.flatMap(sourceFiles);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const isTest = (file: string) => file.endsWith('.test.ts');
const area = (file: string) => file.split('/')[0];
const workerCode = (file: string) => !isTest(file) && ['worker.ts', 'producer', 'consumer', 'shared'].includes(area(file));

function cycles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

function violations(rule: (from: string, to: string) => boolean): string[] {
  return [...graph].flatMap(([from, targets]) => targets.filter((to) => rule(from, to)).map((to) => `${from} → ${to}`));
}

describe('imports go one way', () => {
  it('reads the whole tree, and every relative import names a file that exists', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(violations((_, to) => !graph.has(to))).toEqual([]);
  });

  it('shared/ imports nothing from producer/ or consumer/ (its tests included)', () => {
    expect(violations((from, to) => area(from) === 'shared' && ['producer', 'consumer', 'worker.ts'].includes(area(to)))).toEqual([]);
  });

  it('producer/ and consumer/ do not import each other', () => {
    expect(violations((from, to) => (area(from) === 'producer' && area(to) === 'consumer') || (area(from) === 'consumer' && area(to) === 'producer'))).toEqual([]);
  });

  it('Worker code never imports the scripts or the tests', () => {
    expect(violations((from, to) => workerCode(from) && ['scripts', 'test'].includes(area(to)))).toEqual([]);
  });

  it('no file is part of an import cycle', () => {
    const edges = new Map([...graph].map(([file, targets]) => [file, new Set(targets)]));
    expect(cycles(edges)).toEqual([]);
  });

  it('no folder is part of an import cycle (tests are leaves, left out)', () => {
    const edges = new Map<string, Set<string>>();
    for (const [from, targets] of graph) {
      if (isTest(from)) continue;
      for (const to of targets) {
        if (dirname(from) !== dirname(to)) (edges.get(dirname(from)) ?? edges.set(dirname(from), new Set()).get(dirname(from))!).add(dirname(to));
      }
    }
    expect(cycles(edges)).toEqual([]);
  });
});
