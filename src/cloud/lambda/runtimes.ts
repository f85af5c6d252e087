// Which Lambda runtimes the local cloud creates functions for, as AWS decides it: the Node.js
// runtimes Lambda still lets anyone create ("Runtime deprecation", the "Block function create" column
// of the Lambda developer guide's Node.js runtime tables), run on this machine's Node.js.

/** Block function create, per Node.js runtime (UTC dates); a runtime absent here is current. */
const BLOCK_FUNCTION_CREATE: Readonly<Record<string, string>> = {
  nodejs: '2016-10-31',
  'nodejs4.3': '2018-12-15',
  'nodejs4.3-edge': '2019-04-30',
  'nodejs6.10': '2019-04-30',
  'nodejs8.10': '2020-01-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2024-01-09',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-10-01',
  'nodejs20.x': '2026-08-31',
  'nodejs22.x': '2027-06-01',
  'nodejs24.x': '2028-06-01',
};

/** The newest Node.js runtime of the table still open for creation at `nowMs`, for AWS's advice. */
function newestOpen(nowMs: number): string | undefined {
  const open = Object.entries(BLOCK_FUNCTION_CREATE).filter(([, date]) => Date.parse(date) > nowMs).map(([runtime]) => runtime);
  return open.sort((a, b) => majorOf(b) - majorOf(a))[0];
}

function majorOf(runtime: string): number {
  const match = /^nodejs(\d+)/.exec(runtime);
  return match ? Number(match[1]) : 0;
}

/**
 * AWS's refusal (InvalidParameterValueException) of a function on a runtime whose creation is
 * blocked at `nowMs`, or undefined when Lambda would create it.
 */
export function blockedRuntimeMessage(runtime: string, nowMs: number): string | undefined {
  const blocked = BLOCK_FUNCTION_CREATE[runtime];
  if (blocked === undefined || Date.parse(blocked) > nowMs) return undefined;
  const advice = newestOpen(nowMs);
  return `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
    `We recommend you use ${advice !== undefined ? `the new runtime (${advice})` : 'a supported runtime'} while creating or updating functions.`;
}

/** One line naming the functions whose runtime's Node.js major differs from this machine's, or undefined. */
export function hostMismatchWarning(functions: ReadonlyArray<{ readonly name: string; readonly runtime: string }>, hostVersion: string): string | undefined {
  const hostMajor = Number(/^v?(\d+)/.exec(hostVersion)?.[1] ?? NaN);
  const differing = functions.filter((fn) => majorOf(fn.runtime) !== hostMajor);
  if (differing.length === 0) return undefined;
  const byRuntime = new Map<string, string[]>();
  for (const fn of differing) byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), fn.name]);
  const list = [...byRuntime].map(([runtime, names]) => `${runtime} (${names.join(', ')})`).join('; ');
  return `functions of ${list} run on this machine's Node.js ${hostVersion}, not the Node.js of their runtime: language features and built-in modules may differ from Lambda's`;
}
