/**
 * The AWS CLI against a local endpoint, for the tests that prove a real client works: an
 * environment with fixed keys and no profile, config or pager, a probe for a missing CLI (the
 * tests skip), and one call with its JSON output.
 */
import { spawnSync } from 'node:child_process';
import { runProcess } from './run-process.ts';

export interface AwsCliKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** us-east-1, JSON output, no pager; the caller's own profile, session and config files are left out. */
export function awsCliEnv(keys: AwsCliKeys = { accessKeyId: 'local', secretAccessKey: 'local' }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_DEFAULT_OUTPUT: 'json',
  };
  for (const key of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] as const) delete env[key];
  return env;
}

export const AWS_CLI_ENV = awsCliEnv();

/** True when `aws --version` does not run: the CLI tests are skipped. */
export function awsCliMissing(env: NodeJS.ProcessEnv = AWS_CLI_ENV): boolean {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8', env });
  return probe.error !== undefined || probe.status !== 0;
}

export interface AwsCliRun {
  readonly code: number | null;
  /** The parsed output; undefined when the command printed nothing. */
  readonly json: Record<string, unknown> | undefined;
  readonly stderr: string;
}

/** `aws --endpoint-url <endpointUrl> <args...>`, within 30 s (each call starts Python). */
export async function awsCli(endpointUrl: string, args: readonly string[], env: NodeJS.ProcessEnv = AWS_CLI_ENV): Promise<AwsCliRun> {
  const run = await runProcess('aws', ['--endpoint-url', endpointUrl, ...args], { env, deadlineMs: 30_000, failAfterDeadline: `aws ${args.join(' ')}` });
  return { code: run.code, json: run.stdout.trim() === '' ? undefined : (JSON.parse(run.stdout) as Record<string, unknown>), stderr: run.stderr };
}
