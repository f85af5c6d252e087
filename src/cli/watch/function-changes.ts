import { shortFunctionName } from '../terminal/terminal-log.ts';

/** Function name -> the folder its code runs from (named after the bundle's hash). */
export type FunctionCode = ReadonlyMap<string, string>;

/** One line on what a reload changed for the functions, with their short names. */
export function describeFunctionChanges(before: FunctionCode, after: FunctionCode): string {
  const short = (names: string[]): string => names.map(shortFunctionName).sort().join(', ');
  const changed = [...after].filter(([name, code]) => before.has(name) && before.get(name) !== code).map(([name]) => name);
  const added = [...after.keys()].filter((name) => !before.has(name));
  const removed = [...before.keys()].filter((name) => !after.has(name));
  const parts = [
    ...(changed.length > 0 ? [`new code for ${short(changed)}`] : []),
    ...(added.length > 0 ? [`added ${short(added)}`] : []),
    ...(removed.length > 0 ? [`removed ${short(removed)}`] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : 'the templates changed, no function\'s code did';
}
