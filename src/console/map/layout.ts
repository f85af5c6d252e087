import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { MapGraph } from './graph-model.ts';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode {
  readonly key: string;
  /** Top-left corner of the node's box. */
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  readonly key: string;
  /** From the source's border to the target's, with the bends between. */
  readonly points: readonly Point[];
}

export interface Layout {
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  readonly edges: ReadonlyMap<string, PlacedEdge>;
  readonly width: number;
  readonly height: number;
  /** What was laid out: a graph with the same signature can reuse this layout as it is. */
  readonly signature: string;
}

/**
 * The box the layout places: as wide as a node's label, as tall as its ring. The three label lines
 * hang below it, in the spacing the layout keeps between nodes of a layer.
 */
export const NODE_WIDTH = 150;
export const RING_RADIUS = 26;
export const NODE_HEIGHT = 2 * (RING_RADIUS + 6);
const LABEL_HEIGHT = 58;

type ElkConstructor = new () => ELK;
/**
 * elkjs is CommonJS typed as an ES module: the bundler hands the constructor over as the default
 * export, Node as the module whose `default` is the constructor (the file sets both).
 */
let elk: Promise<ELK> | undefined;

/**
 * ELK, loaded on the first layout: its bundle takes over 100 ms to evaluate, which the trace list
 * and Analytics, which draw no map, need not pay before their first paint.
 */
function loadElk(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((elkModule) => {
    const elkDefault = elkModule.default as unknown as ElkConstructor & { readonly default?: ElkConstructor };
    return new (elkDefault.default ?? elkDefault)();
  });
  return elk;
}

/**
 * Layered (Sugiyama) layout, left to right in call order. Deterministic: a fixed seed, and nodes
 * kept in the graph's sorted order within each layer, so the same graph gives the same picture and
 * a new node is slotted in without reordering the others.
 */
export async function layoutGraph(graph: MapGraph): Promise<Layout> {
  const root: ElkNode = {
    id: '__root__',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.randomSeed': '1',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.spacing.nodeNode': String(LABEL_HEIGHT + 24),
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.padding': `[top=24,left=24,bottom=${24 + LABEL_HEIGHT},right=24]`,
    },
    children: graph.nodes.map((node) => ({ id: node.key, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: graph.edges
      .filter((edge) => edge.source !== edge.target)
      .map((edge): ElkExtendedEdge => ({ id: edge.key, sources: [edge.source], targets: [edge.target] })),
  };
  const laid = await (await loadElk()).layout(root);
  const nodes = new Map<string, PlacedNode>();
  for (const child of laid.children ?? []) nodes.set(child.id, { key: child.id, x: round(child.x ?? 0), y: round(child.y ?? 0) });
  const edges = new Map<string, PlacedEdge>();
  for (const edge of laid.edges ?? []) {
    const section = edge.sections?.[0];
    if (section === undefined) continue;
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: round(p.x), y: round(p.y) }));
    edges.set(edge.id, { key: edge.id, points });
  }
  return { nodes, edges, width: round(laid.width ?? 0), height: round(laid.height ?? 0), signature: signatureOf(graph) };
}

/** Nodes and edges by key: statistics may change under a signature, the picture does not. */
export function signatureOf(graph: MapGraph): string {
  return JSON.stringify([graph.nodes.map((node) => node.key), graph.edges.map((edge) => edge.key)]);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
