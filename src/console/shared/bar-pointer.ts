import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent, RefObject } from 'react';

export interface BarPointerOptions {
  /** Bars in the chart. */
  readonly count: number;
  /** The chart's viewBox width, and the room left of the first bar (the scale). */
  readonly width: number;
  readonly gutter: number;
  readonly hover: number | undefined;
  readonly onHover: (index: number | undefined) => void;
}

/**
 * Which bar of a chart drawn in a viewBox the pointer is over, and the keys that move between bars
 * (left, right; Escape lets go): the props an <svg> of evenly spaced bars needs to read one out.
 */
export function useBarPointer(options: BarPointerOptions): {
  readonly ref: RefObject<SVGSVGElement | null>;
  readonly onPointerMove: (event: PointerEvent<SVGSVGElement>) => void;
  readonly onPointerLeave: () => void;
  readonly onBlur: () => void;
  readonly onKeyDown: (event: KeyboardEvent<SVGSVGElement>) => void;
} {
  const { count, width, gutter, hover, onHover } = options;
  const ref = useRef<SVGSVGElement>(null);
  const step = (width - gutter) / Math.max(1, count);
  const indexAt = (event: PointerEvent<SVGSVGElement>): number | undefined => {
    const box = ref.current?.getBoundingClientRect();
    if (box === undefined || box.width === 0) return undefined;
    const x = ((event.clientX - box.left) / box.width) * width - gutter;
    return x < 0 ? undefined : Math.min(count - 1, Math.floor(x / step));
  };
  return {
    ref,
    onPointerMove: (event) => onHover(indexAt(event)),
    onPointerLeave: () => onHover(undefined),
    onBlur: () => onHover(undefined),
    onKeyDown: (event) => {
      const move = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : undefined;
      if (event.key === 'Escape') onHover(undefined);
      if (move === undefined) return;
      event.preventDefault();
      onHover(Math.max(0, Math.min(count - 1, (hover ?? (move > 0 ? -1 : count)) + move)));
    },
  };
}
