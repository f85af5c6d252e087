// What the X-Ray API commands (traces, trace, map, groups, sampling) share: options, client, errors, output.
export { xrayClient } from './client.ts';
export type { ClientOptions } from './client.ts';
export { callService, ServiceUnreachableError, XrayRequestError } from './errors.ts';
export { DEFAULT_ENDPOINT, OptionError, parseEndpoint, parseGroup, parseSince } from './options.ts';
export { printable } from './printable.ts';
export { runCommand, terminalOutput } from './run.ts';
export type { CommandOutput } from './run.ts';
export { alignedTable } from './table.ts';
export type { Column } from './table.ts';
