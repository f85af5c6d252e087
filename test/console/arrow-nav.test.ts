import { describe, expect, it } from 'vitest';
import { arrowDirection, nodeInDirection } from '../../src/console/map/arrow-nav.ts';

// A layered map: a client, a stage, then three functions in a column, and a table beside the middle one.
const CENTRES = new Map([
  ['client', { x: 0, y: 100 }],
  ['stage', { x: 200, y: 100 }],
  ['fn-a', { x: 400, y: 0 }],
  ['fn-b', { x: 400, y: 100 }],
  ['fn-c', { x: 400, y: 200 }],
  ['table', { x: 600, y: 110 }],
]);

describe('arrow keys on the map', () => {
  it('go to the nearest node that way, preferring the same row or column', () => {
    expect(nodeInDirection(CENTRES, 'client', 'right')).toBe('stage');
    expect(nodeInDirection(CENTRES, 'stage', 'right')).toBe('fn-b');
    expect(nodeInDirection(CENTRES, 'fn-b', 'up')).toBe('fn-a');
    expect(nodeInDirection(CENTRES, 'fn-b', 'down')).toBe('fn-c');
    expect(nodeInDirection(CENTRES, 'fn-c', 'right')).toBe('table');
    expect(nodeInDirection(CENTRES, 'table', 'left')).toBe('fn-b');
  });

  it('stay put at the edge of the map, and for an unknown node', () => {
    expect(nodeInDirection(CENTRES, 'client', 'left')).toBeUndefined();
    expect(nodeInDirection(CENTRES, 'fn-a', 'up')).toBeUndefined();
    expect(nodeInDirection(CENTRES, 'nowhere', 'right')).toBeUndefined();
  });

  it('name a direction for the four arrows only', () => {
    expect(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Tab', 'Enter'].map(arrowDirection)).toEqual(['left', 'right', 'up', 'down', undefined, undefined]);
  });
});
