/** Aligned plain-text tables; every cell goes through printable(). */
import { printable } from './printable.ts';

export interface Column {
  readonly title: string;
  /** Numbers read best right-aligned. @default 'left' */
  readonly align?: 'left' | 'right';
}

/** The header line, then one line a row; columns two spaces apart, no trailing spaces. */
export function alignedTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const cells = rows.map((row) => row.map(printable));
  const widths = columns.map((column, i) => Math.max(column.title.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]): string => row
    .map((text, i) => (columns[i]?.align === 'right' ? text.padStart(widths[i]!) : i === row.length - 1 ? text : text.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)];
}
