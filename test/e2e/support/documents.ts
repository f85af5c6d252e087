import { expect } from 'vitest';

type Doc = Record<string, unknown>;

/** Every entity (segment or subsegment, at any depth) in the stored documents, by id. */
export function entitiesById(documents: ReadonlyArray<string>): Map<string, Doc> {
  const byId = new Map<string, Doc>();
  const visit = (entity: Doc): void => {
    byId.set(entity.id as string, entity);
    for (const child of (entity.subsegments as Doc[] | undefined) ?? []) visit(child);
  };
  for (const document of documents) visit(JSON.parse(document) as Doc);
  return byId;
}

/**
 * Asserts that `stored` carries every field of `sent` with the same value, field by field (so a
 * failure names the field), and that each sent subsegment is among the stored one's children.
 * Stored entities may have more children: standalone subsegments are folded into their parent.
 */
export function expectIntact(sent: Doc, stored: Doc | undefined, path = String(sent.id)): void {
  expect(stored, `${path} is missing`).toBeDefined();
  if (!stored) return;
  for (const [field, value] of Object.entries(sent)) {
    if (field === 'subsegments') continue;
    expect(stored[field], `${path}.${field}`).toEqual(value);
  }
  const storedChildren = new Map(((stored.subsegments as Doc[] | undefined) ?? []).map((child) => [child.id, child]));
  for (const child of (sent.subsegments as Doc[] | undefined) ?? []) {
    expectIntact(child, storedChildren.get(child.id), `${path} > ${String(child.name)}`);
  }
}
