/** Where a parse error points, read from the service's message ("... at column 12" or "line 2, column 3"). */
export interface ErrorPosition {
  readonly line: number;
  readonly column: number;
}

export function errorPosition(message: string): ErrorPosition | undefined {
  const match = /(?:line (\d+), )?column (\d+)\s*$/.exec(message.trim());
  if (match === null) return undefined;
  return { line: Number(match[1] ?? 1), column: Number(match[2]) };
}

/** `filter` narrowed to response times in [from, to] seconds. */
export function withResponseTime(filter: string, from: number, to: number): string {
  const range = `responsetime >= ${number(from)} AND responsetime <= ${number(to)}`;
  return filter.trim() === '' ? range : `(${filter.trim()}) AND ${range}`;
}

function number(value: number): string {
  return String(Number(value.toPrecision(6)));
}
