/** The frame every X-Ray API command runs in: options checked, one client, errors as one line and an exit code. */
import type { XRayClient } from '@aws-sdk/client-xray';
import { xrayClient, type ClientOptions } from './client.ts';
import { ServiceUnreachableError, XrayRequestError } from './errors.ts';
import { OptionError } from './options.ts';
import { printable } from './printable.ts';

/** Where a command writes, and its clock; injected so tests drive commands in-process. */
export interface CommandOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly nowSeconds: () => number;
}

/** The real terminal and clock, as the commands run from the shell. */
export const terminalOutput: CommandOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  nowSeconds: () => Date.now() / 1000,
};

/**
 * `plan` checks the options (an OptionError exits 2 before any request); `act` talks to the service
 * through the client and returns the exit code. A refusal by the service or an unreachable one
 * exits 1. Messages go to `err` prefixed with `xray-tracer <command>:`.
 */
export async function runCommand<P extends ClientOptions>(
  command: string,
  output: CommandOutput,
  plan: () => P,
  act: (plan: P, client: XRayClient) => Promise<number>,
): Promise<number> {
  const say = (message: string): void => output.err(`xray-tracer ${command}: ${printable(message)}`);
  let checked: P;
  try {
    checked = plan();
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    say(error.message);
    return 2;
  }
  const client = xrayClient(checked);
  try {
    return await act(checked, client);
  } catch (error) {
    if (error instanceof XrayRequestError || error instanceof ServiceUnreachableError) {
      say(error.message);
      return 1;
    }
    throw error;
  } finally {
    client.destroy();
  }
}
