import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatRate, formatSeconds } from '../shared/format.ts';
import type { MapEdge, MapGraph, MapNode } from './graph-model.ts';
import { perMinute } from './graph-model.ts';
import { HealthRing } from './health-ring.tsx';
import type { Direction } from './arrow-nav.ts';
import { arrowDirection, nodeInDirection } from './arrow-nav.ts';
import type { Layout, Point } from './layout.ts';
import { NODE_HEIGHT, NODE_WIDTH, RING_RADIUS } from './layout.ts';
import { STATUS_COLOURS } from '../shared/status-colours.ts';
import { styleOf } from './node-style.ts';
import type { Viewport } from './viewport.ts';
import { fitViewport, zoomAt } from './viewport.ts';

export type Selection = { readonly kind: 'node'; readonly key: string } | { readonly kind: 'edge'; readonly key: string } | undefined;

export interface ServiceMapProps {
  readonly graph: MapGraph;
  readonly layout: Layout;
  /** Length of the window the statistics cover, for requests per minute. */
  readonly windowSeconds: number;
  readonly selection?: Selection;
  readonly onSelect?: (selection: Selection) => void;
  /** Smaller text and no edge labels (a trace's own map). */
  readonly compact?: boolean;
  readonly height?: number;
}

const RING_CY = NODE_HEIGHT / 2;

/** The service map as SVG: nodes with health rings, edges with their statistics; wheel zooms, dragging pans. */
export function ServiceMap(props: ServiceMapProps) {
  const { graph, layout, windowSeconds, selection, onSelect, compact = false } = props;
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<Viewport | undefined>(undefined);
  const pan = useRef<{ x: number; y: number; view: Viewport; moved: boolean } | undefined>(undefined);

  // The map stays fitted to its box (as it resizes, or a node is added) until the user zooms or
  // pans; from then on their view stays, so a refresh moves nothing.
  const userMoved = useRef(false);
  const fit = (): void => {
    const element = box.current;
    if (element === null) return;
    setView(fitViewport(layout.width, layout.height, element.clientWidth, element.clientHeight));
  };
  const fitRef = useRef(fit);
  fitRef.current = fit;
  useLayoutEffect(() => { if (view === undefined || !userMoved.current) fit(); }, [layout.width, layout.height]);
  useEffect(() => {
    const element = box.current;
    if (element === null || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => { if (!userMoved.current) fitRef.current(); });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    // React's onWheel is passive; zooming must stop the page from scrolling.
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      userMoved.current = true;
      const rect = element.getBoundingClientRect();
      setView((current) => zoomAt(current ?? { scale: 1, x: 0, y: 0 }, Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const current = view ?? { scale: 1, x: 0, y: 0 };
  const nodesByKey = new Map(graph.nodes.map((node) => [node.key, node]));
  const centres = new Map([...layout.nodes].map(([key, point]) => [key, { x: point.x + NODE_WIDTH / 2, y: point.y + RING_CY }]));
  const zoomBy = (factor: number): void => {
    const element = box.current;
    if (element === null) return;
    userMoved.current = true;
    setView(zoomAt(current, factor, element.clientWidth / 2, element.clientHeight / 2));
  };

  return (
    <div className={`service-map${compact ? ' compact' : ''}`} ref={box} style={props.height === undefined ? undefined : { height: props.height }}>
      <svg
        width="100%"
        height="100%"
        role="group"
        aria-label="Service map"
        onPointerDown={(event) => {
          if ((event.target as Element).closest('[data-node-key],[data-edge-key]') !== null) return;
          pan.current = { x: event.clientX, y: event.clientY, view: current, moved: false };
          event.currentTarget.setPointerCapture(event.pointerId);
        }}
        onPointerMove={(event) => {
          const start = pan.current;
          if (start === undefined) return;
          const dx = event.clientX - start.x;
          const dy = event.clientY - start.y;
          if (Math.abs(dx) + Math.abs(dy) > 3) {
            start.moved = true;
            userMoved.current = true;
          }
          setView({ scale: start.view.scale, x: start.view.x + dx, y: start.view.y + dy });
        }}
        onPointerUp={() => {
          const start = pan.current;
          pan.current = undefined;
          if (start !== undefined && !start.moved) onSelect?.(undefined);
        }}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
          </marker>
          <marker id="arrow-selected" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="arrow-head selected" />
          </marker>
        </defs>
        <g transform={`translate(${current.x} ${current.y}) scale(${current.scale})`}>
          {/* Nodes before edges: the tab order reaches every service first; edges are drawn over the nodes' empty margins only. */}
          {graph.nodes.map((node) => {
            const placed = layout.nodes.get(node.key);
            if (placed === undefined) return null;
            return (
              <NodeShape
                key={node.key}
                node={node}
                x={placed.x}
                y={placed.y}
                windowSeconds={windowSeconds}
                selected={selection?.kind === 'node' && selection.key === node.key}
                onSelect={onSelect === undefined ? undefined : () => onSelect({ kind: 'node', key: node.key })}
                onArrow={(direction) => focusNode(box.current, nodeInDirection(centres, node.key, direction))}
              />
            );
          })}
          {graph.edges.map((edge) => {
            const placed = layout.edges.get(edge.key);
            const from = layout.nodes.get(edge.source);
            const to = layout.nodes.get(edge.target);
            if (placed === undefined || from === undefined || to === undefined) return null;
            return (
              <EdgeShape
                key={edge.key}
                edge={edge}
                points={ringToRing(placed.points, from, to)}
                selected={selection?.kind === 'edge' && selection.key === edge.key}
                label={!compact}
                windowSeconds={windowSeconds}
                describe={`${nodesByKey.get(edge.source)?.name ?? edge.source} to ${nodesByKey.get(edge.target)?.name ?? edge.target}`}
                onSelect={onSelect === undefined ? undefined : () => onSelect({ kind: 'edge', key: edge.key })}
              />
            );
          })}
        </g>
      </svg>
      <div className="map-tools">
        <button type="button" title="Zoom in" aria-label="Zoom in" onClick={() => zoomBy(1.25)}>+</button>
        <button type="button" title="Zoom out" aria-label="Zoom out" onClick={() => zoomBy(0.8)}>−</button>
        <button type="button" title="Fit the map" aria-label="Fit the map" onClick={() => { userMoved.current = false; fit(); }}>Fit</button>
      </div>
    </div>
  );
}

/** Moves the keyboard focus to a node of the map in `container`, if there is one by that key. */
function focusNode(container: HTMLElement | null, key: string | undefined): void {
  if (container === null || key === undefined) return;
  container.querySelector<SVGGElement>(`[data-node-key="${CSS.escape(key)}"]`)?.focus();
}

function NodeShape(props: {
  readonly node: MapNode;
  readonly x: number;
  readonly y: number;
  readonly windowSeconds: number;
  readonly selected: boolean;
  readonly onSelect: (() => void) | undefined;
  readonly onArrow: (direction: Direction) => void;
}) {
  const { node, x, y, selected, onSelect } = props;
  const style = styleOf(node.type);
  const cx = NODE_WIDTH / 2;
  const rate = perMinute(node.health.total, props.windowSeconds);
  const lines = nameLines(node.name, 22);
  const stats = node.health.total === 0 ? 'no requests' : `${formatRate(rate)}/min · ${formatSeconds(node.averageResponseTime)}`;
  return (
    <g
      className={`map-node tone-${style.tone}${selected ? ' selected' : ''}`}
      transform={`translate(${x} ${y})`}
      data-node-key={node.key}
      data-node-name={node.name}
      data-node-type={node.type}
      role="button"
      tabIndex={0}
      // Named by its <title> (name, type, statistics), which says all the node shows: an aria-label
      // shorter than the visible text would hide part of it from a screen reader (WCAG 2.5.3).
      aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown"
      onClick={onSelect}
      onKeyDown={(event) => {
        const direction = arrowDirection(event.key);
        if (direction !== undefined) {
          // The nearest node that way; the page does not scroll.
          event.preventDefault();
          props.onArrow(direction);
        } else if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect?.();
        }
      }}
    >
      <title>{`${node.name}\n${node.type}\n${stats}`}</title>
      <rect className="hit" x={0} y={0} width={NODE_WIDTH} height={NODE_HEIGHT + 10 + 13 * lines.length + 18} rx={8} />
      <circle className="node-body" cx={cx} cy={RING_CY} r={RING_RADIUS - 4} />
      <HealthRing health={node.health} cx={cx} cy={RING_CY} r={RING_RADIUS} />
      {style.tone === 'client'
        ? <path className="glyph-shape" aria-hidden="true" d={`M${cx - 9},${RING_CY + 11} a9,9 0 0 1 18,0 z M${cx},${RING_CY - 12} a6,6 0 1 0 0.01,0 z`} />
        : <text className="glyph" aria-hidden="true" x={cx} y={RING_CY} dy="0.35em" textAnchor="middle" fontSize={style.glyph.length > 2 ? 11 : 17}>{style.glyph}</text>}
      {lines.map((line, index) => <text key={index} className="node-name" x={cx} y={NODE_HEIGHT + 10 + 13 * index} textAnchor="middle">{line}</text>)}
      <text className="node-type" x={cx} y={NODE_HEIGHT + 10 + 13 * lines.length} textAnchor="middle">{style.label}</text>
      <text className="node-stats" x={cx} y={NODE_HEIGHT + 23 + 13 * lines.length} textAnchor="middle">{stats}</text>
    </g>
  );
}

function EdgeShape(props: {
  readonly edge: MapEdge;
  readonly points: readonly Point[];
  readonly selected: boolean;
  readonly label: boolean;
  readonly windowSeconds: number;
  readonly describe: string;
  readonly onSelect: (() => void) | undefined;
}) {
  const { edge, points, selected } = props;
  const d = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');
  const faulty = edge.health.fault + edge.health.error + edge.health.throttle > 0;
  const middle = midpoint(points);
  const rate = perMinute(edge.health.total, props.windowSeconds);
  const text = `${formatSeconds(edge.averageResponseTime)} · ${formatRate(rate)}/min`;
  return (
    <g
      className={`map-edge${edge.link ? ' link' : ''}${selected ? ' selected' : ''}`}
      data-edge-key={edge.key}
      role="button"
      tabIndex={0}
      onClick={props.onSelect}
      onKeyDown={(event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); props.onSelect?.(); } }}
    >
      <title>{`Edge from ${props.describe}${edge.link ? ' (asynchronous link)' : ''}\n${text}`}</title>
      <path className="edge-hit" d={d} />
      <path
        className="edge-line"
        d={d}
        stroke={faulty && !selected ? STATUS_COLOURS[edge.health.fault > 0 ? 'fault' : edge.health.throttle > 0 ? 'throttle' : 'error'] : undefined}
        markerEnd={selected ? 'url(#arrow-selected)' : 'url(#arrow)'}
      />
      {props.label && edge.health.total > 0 && (
        <text className="edge-label" x={middle.x} y={middle.y - 6} textAnchor="middle">{text}</text>
      )}
    </g>
  );
}

/**
 * The layout's route with its ends moved from the boxes' borders to the rings: edges meet a node at
 * its ring, whichever side they come from.
 */
function ringToRing(points: readonly Point[], from: Point, to: Point): Point[] {
  const source = { x: from.x + NODE_WIDTH / 2, y: from.y + RING_CY };
  const target = { x: to.x + NODE_WIDTH / 2, y: to.y + RING_CY };
  const bends = points.slice(1, -1);
  const start = towards(source, bends[0] ?? target, RING_RADIUS + 4);
  const end = towards(target, bends[bends.length - 1] ?? source, RING_RADIUS + 6);
  return [start, ...bends, end];
}

function towards(from: Point, to: Point, distance: number): Point {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  if (length === 0) return from;
  return { x: from.x + ((to.x - from.x) * distance) / length, y: from.y + ((to.y - from.y) * distance) / length };
}

/** The point halfway along a polyline. */
function midpoint(points: readonly Point[]): Point {
  const lengths = points.slice(1).map((point, index) => Math.hypot(point.x - (points[index] as Point).x, point.y - (points[index] as Point).y));
  let remaining = lengths.reduce((sum, length) => sum + length, 0) / 2;
  for (let index = 0; index < lengths.length; index += 1) {
    const length = lengths[index] as number;
    const from = points[index] as Point;
    const to = points[index + 1] as Point;
    if (remaining <= length && length > 0) {
      const t = remaining / length;
      return { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t };
    }
    remaining -= length;
  }
  return points[0] ?? { x: 0, y: 0 };
}

/**
 * A name on at most two lines of `max` characters: broken after a separator when one is near (stack
 * and function names are long and hyphenated), the rest cut with an ellipsis.
 */
export function nameLines(name: string, max: number): string[] {
  const characters = Array.from(name);
  if (characters.length <= max) return [name];
  let cut = max;
  for (let index = max - 1; index >= max / 2; index -= 1) {
    if ('-_/.:'.includes(characters[index] ?? '')) {
      cut = index + 1;
      break;
    }
  }
  const rest = characters.slice(cut);
  return [characters.slice(0, cut).join(''), rest.length <= max ? rest.join('') : `${rest.slice(0, max - 1).join('')}…`];
}
