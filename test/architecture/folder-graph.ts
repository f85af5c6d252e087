/**
 * The folder-level import graph of src/: a folder is the directory of a file (src/cloud/endpoint,
 * src/xray/store), and folder A imports folder B when a file of A imports a file of B by a
 * relative specifier. Package imports are not edges. Type-only imports count: a cycle of types is
 * still two folders that cannot be understood, or moved, one without the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** from folder -> to folder -> the imports that make the edge ("file -> specifier"). */
export type FolderGraph = Map<string, Map<string, string[]>>;

const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) sourceFiles(full, out);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

/** Builds the graph of the folders under `srcDir`; names are relative to `rootDir`, with '/'. */
export function folderGraph(rootDir: string, srcDir: string): FolderGraph {
  const graph: FolderGraph = new Map();
  const rel = (p: string): string => path.relative(rootDir, p).split(path.sep).join('/');
  for (const file of sourceFiles(srcDir)) {
    // preProcessFile reads import/export-from/dynamic import()/require specifiers without a full parse.
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const from = rel(path.dirname(file));
      const to = rel(path.dirname(path.resolve(path.dirname(file), specifier)));
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      const reasons = edges.get(to) ?? [];
      edges.set(to, reasons);
      reasons.push(`${rel(file)} -> ${specifier}`);
    }
  }
  return graph;
}

/** The graph without the given edges ("from -> to"). */
export function withoutEdges(graph: FolderGraph, edges: Iterable<string>): FolderGraph {
  const removed = new Set(edges);
  const out: FolderGraph = new Map();
  for (const [from, tos] of graph) {
    out.set(from, new Map([...tos].filter(([to]) => !removed.has(`${from} -> ${to}`))));
  }
  return out;
}

/** The strongly connected components of more than one folder (Tarjan), each sorted: every one holds a cycle. */
export function folderCycles(graph: FolderGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((tos) => [...tos.keys()])]);
  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** One cycle's description: each edge inside the component with the first import that makes it. */
export function describeCycle(graph: FolderGraph, component: readonly string[]): string {
  const members = new Set(component);
  const lines = [`cycle among ${component.join(', ')}:`];
  for (const from of component) {
    for (const [to, reasons] of graph.get(from) ?? []) {
      if (members.has(to)) lines.push(`  ${from} -> ${to}  (${reasons[0]}${reasons.length > 1 ? `, +${reasons.length - 1} more` : ''})`);
    }
  }
  return lines.join('\n');
}
