/** Rows of a fixed height shown in a scrolled box: which ones to render, and the space around them. */
export interface RowWindow {
  /** The first row rendered (0-based) and one past the last. */
  readonly from: number;
  readonly to: number;
  /** Pixels left empty above and below the rendered rows, so the scroll bar measures the whole list. */
  readonly topPx: number;
  readonly bottomPx: number;
}

/** Rows rendered beyond each edge of the box: a fast flick shows rows, not blank space, for a frame. */
export const OVERSCAN_ROWS = 10;

/**
 * Only the rows in view plus `overscan` on each side (about 40 rows in all): a table of 100,000 summaries renders about as
 * many rows as one of 100, so scrolling and sorting cost the same at any size.
 */
export function visibleRows(count: number, rowPx: number, scrollTopPx: number, viewPx: number, overscan = OVERSCAN_ROWS): RowWindow {
  const first = Math.max(0, Math.floor(scrollTopPx / rowPx) - overscan);
  const last = Math.min(count, Math.ceil((scrollTopPx + viewPx) / rowPx) + overscan);
  const from = Math.min(first, last);
  return { from, to: last, topPx: from * rowPx, bottomPx: (count - last) * rowPx };
}
