/** Zoom and pan of an SVG scene: screen = scene * scale + (x, y). */
export interface Viewport {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export const MIN_SCALE = 0.15;
export const MAX_SCALE = 3;

/** The viewport that shows a `width` x `height` scene whole and centred in a `viewWidth` x `viewHeight` box. */
export function fitViewport(width: number, height: number, viewWidth: number, viewHeight: number, maxScale = 1): Viewport {
  if (width <= 0 || height <= 0 || viewWidth <= 0 || viewHeight <= 0) return { scale: 1, x: 0, y: 0 };
  const scale = clamp(Math.min(viewWidth / width, viewHeight / height, maxScale), MIN_SCALE, MAX_SCALE);
  return { scale, x: (viewWidth - width * scale) / 2, y: (viewHeight - height * scale) / 2 };
}

/** Zooms by `factor` keeping the scene point under (`px`, `py`) where it is on screen. */
export function zoomAt(view: Viewport, factor: number, px: number, py: number): Viewport {
  const scale = clamp(view.scale * factor, MIN_SCALE, MAX_SCALE);
  const applied = scale / view.scale;
  return { scale, x: px - (px - view.x) * applied, y: py - (py - view.y) * applied };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
