/** A direction an arrow key names. */
export type Direction = 'left' | 'right' | 'up' | 'down';

const KEYS: Readonly<Record<string, Direction>> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

export function arrowDirection(key: string): Direction | undefined {
  return KEYS[key];
}

/**
 * The nearest node in `direction` from `from` (positions are the nodes' centres): among those whose
 * offset points more that way than across, the one with the least distance along it plus twice the
 * distance across, so that a node in the same row or column wins over a nearer one off to the side.
 */
export function nodeInDirection(
  positions: ReadonlyMap<string, { readonly x: number; readonly y: number }>,
  from: string,
  direction: Direction,
): string | undefined {
  const start = positions.get(from);
  if (start === undefined) return undefined;
  let best: { key: string; score: number } | undefined;
  for (const [key, point] of positions) {
    if (key === from) continue;
    const dx = point.x - start.x;
    const dy = point.y - start.y;
    const along = direction === 'right' ? dx : direction === 'left' ? -dx : direction === 'down' ? dy : -dy;
    const across = Math.abs(direction === 'left' || direction === 'right' ? dy : dx);
    if (along <= 0 || across > along * 2) continue;
    const score = along + 2 * across;
    if (best === undefined || score < best.score || (score === best.score && key < best.key)) best = { key, score };
  }
  return best?.key;
}
