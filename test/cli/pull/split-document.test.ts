import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../../src/cli/pull/split-document.ts';

const TRACE = '1-684ee160-000000000000000000000001';
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

type Entity = { id: string; name: string; subsegments?: Entity[]; [key: string]: unknown };

let next = 0;
function entity(name: string, padding: number, subsegments: Entity[] = []): Entity {
  next += 1;
  return {
    id: next.toString(16).padStart(16, '0'),
    name,
    start_time: 1_750_000_000 + next / 1000,
    end_time: 1_750_000_001,
    ...(padding > 0 ? { metadata: { default: { blob: 'x'.repeat(padding) } } } : {}),
    ...(subsegments.length > 0 ? { subsegments } : {}),
  };
}

/** Puts standalone subsegments back under their parents, as the store assembles a trace. */
function reassemble(documents: string[]): Entity[] {
  const parsed = documents.map((text) => JSON.parse(text) as Entity & { parent_id?: string; type?: string });
  const byId = new Map<string, Entity>();
  const visit = (node: Entity): void => {
    byId.set(node.id, node);
    for (const child of node.subsegments ?? []) visit(child);
  };
  parsed.forEach(visit);
  const roots: Entity[] = [];
  for (const doc of parsed) {
    const parent = doc.type === 'subsegment' && doc.parent_id !== undefined ? byId.get(doc.parent_id) : undefined;
    if (parent) (parent.subsegments ??= []).push(doc);
    else roots.push(doc);
  }
  return roots;
}

/** The tree without the fields a standalone subsegment adds, children in id order. */
function canonical(node: Entity): unknown {
  const { type: _type, trace_id: _traceId, parent_id: _parentId, subsegments, ...rest } = node as Entity & Record<string, unknown>;
  const children = (subsegments ?? []).map(canonical).sort((a, b) => String((a as Entity).id).localeCompare(String((b as Entity).id)));
  return children.length > 0 ? { ...rest, subsegments: children } : rest;
}

describe('splitDocument', () => {
  it('returns a document that fits as it is', () => {
    const segment = { ...entity('api/prod', 100, [entity('SNS', 10)]), trace_id: TRACE };
    expect(splitDocument(segment, TRACE)).toEqual([JSON.stringify(segment)]);
  });

  it('takes subsegments out, at any depth, until every document fits, and the pieces assemble to the same tree', () => {
    const deep = entity('## index.handler', 1000, Array.from({ length: 30 }, (_, i) => entity(`call ${i}`, 3000)));
    const segment = { ...entity('http-flow', 2000, [deep, ...Array.from({ length: 20 }, (_, i) => entity(`sibling ${i}`, 2500))]), trace_id: TRACE, origin: 'AWS::Lambda::Function' };
    expect(bytes(JSON.stringify(segment))).toBeGreaterThan(64 * 1024 * 2);

    const documents = splitDocument(segment, TRACE);
    expect(documents.length).toBeGreaterThan(2);
    for (const text of documents) expect(bytes(text)).toBeLessThanOrEqual(64 * 1024);
    const [first, ...rest] = documents.map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(first?.['id']).toBe(segment.id);
    for (const standalone of rest) {
      expect(standalone).toMatchObject({ type: 'subsegment', trace_id: TRACE });
      expect(typeof standalone['parent_id']).toBe('string');
    }
    const roots = reassemble(documents);
    expect(roots).toHaveLength(1);
    expect(canonical(roots[0] as Entity)).toEqual(canonical(segment));
  });

  it('leaves a document too large on its own as one document, for the service to refuse by name', () => {
    const segment = { ...entity('huge', 70 * 1024), trace_id: TRACE };
    expect(splitDocument(segment, TRACE)).toEqual([JSON.stringify(segment)]);
  });
});
