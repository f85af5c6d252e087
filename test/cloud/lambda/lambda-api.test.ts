/**
 * The Lambda API on the AWS endpoint, through the real clients: @aws-sdk/client-lambda and the AWS
 * CLI v1, against a LambdaService running real handler processes. Shapes and errors are the Lambda
 * API reference's (Invoke, GetFunction, GetFunctionConfiguration, ListFunctions, Errors).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetAliasCommand, GetFunctionCommand, GetFunctionConfigurationCommand, ListAliasesCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundListener } from '../../../src/cloud/endpoint/listener.ts';
import { AwsEndpoint } from '../../../src/cloud/endpoint/server.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import { FunctionCatalog } from '../../../src/cloud/lambda/function-catalog.ts';
import { LambdaApi, logTail } from '../../../src/cloud/lambda/lambda-api.ts';
import { LambdaService } from '../../../src/cloud/lambda/service.ts';
import type { Authorizer, CloudResource, SegmentSink } from '../../../src/cloud/core/types.ts';
import type { InvocationDone } from '../../../src/cloud/lambda/attempt.ts';
import { runProcess } from '../../support/run-process.ts';
import { capturingLogger, functionConfig, writeBundle } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'lambda-api-'));
const ECHO = `export const handler = async (event, context) => {
  console.log('echoing', JSON.stringify(event));
  return { event, version: context.functionVersion, arn: context.invokedFunctionArn, clientContext: context.clientContext ?? null };
};`;
const FAILS = `export const handler = async () => { throw new RangeError('out of range on purpose'); };`;
const CHATTY = `export const handler = async () => { for (let i = 0; i < 200; i += 1) console.log('line ' + i + ' ' + 'x'.repeat(40)); return 'done'; };`;

const echo = functionConfig('echo', writeBundle(ROOT, 'echo', ECHO));
const fails = functionConfig('fails', writeBundle(ROOT, 'fails', FAILS), { maximumRetryAttempts: 0 });
const chatty = functionConfig('chatty', writeBundle(ROOT, 'chatty', CHATTY));
const FUNCTIONS = [echo, fails, chatty];

function resource(type: string, logicalId: string, properties: Record<string, unknown>): CloudResource {
  return { stack: 'TestStack', logicalId, type, properties, physicalId: logicalId, arn: undefined };
}
/** What the template reader gives for `fn.currentVersion` and an alias on it. */
const MODEL_RESOURCES = [
  resource('AWS::Lambda::Version', 'EchoVersion', { FunctionName: 'echo', Description: 'first' }),
  resource('AWS::Lambda::Alias', 'EchoLive', { FunctionName: echo.arn, FunctionVersion: 'arn:aws:lambda:us-east-1:000000000000:function:echo:1', Name: 'live' }),
];
const model = { resources: MODEL_RESOURCES, byType: (type: string) => MODEL_RESOURCES.filter((r) => r.type === type) };

const noSegments: SegmentSink = { send: () => undefined };
let listener: BoundListener;
let endpoint: AwsEndpoint;
let lambda: LambdaService;
const decisions: Array<{ accessKeyId: string; action: string; resourceArn: string }> = [];
const done: InvocationDone[] = [];

beforeAll(async () => {
  listener = await BoundListener.bind('127.0.0.1', 0);
  const roleCredentials = RoleCredentials.ephemeral();
  const { logger } = capturingLogger();
  lambda = new LambdaService({ functions: FUNCTIONS, endpointUrl: listener.url, roleCredentials, daemonAddress: '127.0.0.1:9', segmentSink: noSegments, logger, retryDelaysMs: [0] });
  lambda.onInvocationDone((run) => done.push(run));
  await lambda.start();
  const { catalog, warnings } = FunctionCatalog.fromModel(model, FUNCTIONS, 'us-east-1', '000000000000');
  expect(warnings).toEqual([]);
  // Records what the API asks of IAM; outside keys are the account's administrator, as PolicyAuthorizer has it.
  const authorizer: Authorizer = {
    authorize: (principal, action, resourceArn) => {
      decisions.push({ accessKeyId: principal.accessKeyId, action, resourceArn });
      return resourceArn.endsWith(':forbidden') ? { allowed: false, reason: 'no identity-based policy allows the lambda:InvokeFunction action' } : { allowed: true };
    },
  };
  endpoint = new AwsEndpoint({ listener, roleCredentials, authorizer, services: [new LambdaApi({ backend: lambda, catalog })] });
  await endpoint.start();
});

afterAll(async () => {
  await endpoint.stop();
  await lambda.stop();
  await listener.close();
  rmSync(ROOT, { recursive: true, force: true });
});

function client(): LambdaClient {
  return new LambdaClient({ endpoint: listener.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDOUTSIDE', secretAccessKey: 'any' }, maxAttempts: 1 });
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

describe('Invoke', () => {
  it('runs RequestResponse and answers the payload, the executed version and, with LogType Tail, the invocation log', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ a: 1 }), LogType: 'Tail' }));
    expect(answer.StatusCode).toBe(200);
    expect(answer.ExecutedVersion).toBe('$LATEST');
    expect(answer.FunctionError).toBeUndefined();
    expect(JSON.parse(text(answer.Payload))).toMatchObject({ event: { a: 1 }, version: '$LATEST' });
    const log = Buffer.from(answer.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
    expect(log).toContain('\tINFO\techoing {"a":1}');
    expect(log).toMatch(/END RequestId: \S+\nREPORT RequestId: \S+\tDuration: /);
    expect(decisions.at(-1)).toEqual({ accessKeyId: 'AKIDOUTSIDE', action: 'lambda:InvokeFunction', resourceArn: echo.arn });
  });

  it('passes {} for an empty payload, as Lambda does, and gives no LogResult unless asked', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'echo' }));
    expect(JSON.parse(text(answer.Payload)).event).toEqual({});
    expect(answer.LogResult).toBeUndefined();
  });

  it('hands X-Amz-Client-Context to the handler as context.clientContext, and refuses one that is not base64 JSON', async () => {
    const context = { client: { app_title: 'test' }, custom: { k: 'v' } };
    const answer = await client().send(new InvokeCommand({ FunctionName: 'echo', ClientContext: Buffer.from(JSON.stringify(context)).toString('base64') }));
    expect(JSON.parse(text(answer.Payload)).clientContext).toEqual(context);
    const refused = await client().send(new InvokeCommand({ FunctionName: 'echo', ClientContext: Buffer.from('not json').toString('base64') })).catch((e: Error) => e);
    expect((refused as Error).name).toBe('InvalidRequestContentException');
  });

  it('keeps only the last 4 KB of a long log, whole characters', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'chatty', LogType: 'Tail' }));
    const log = Buffer.from(answer.LogResult ?? '', 'base64');
    expect(log.length).toBeLessThanOrEqual(4096);
    expect(log.length).toBeGreaterThan(4000);
    expect(log.toString('utf8')).toMatch(/REPORT RequestId: [^\n]+\n$/);
    expect(log.toString('utf8')).not.toContain('START RequestId');
    expect(Buffer.from(logTail('é'.repeat(3000)), 'base64').toString('utf8')).toBe('é'.repeat(2048));
  });

  it('answers a handler error as X-Amz-Function-Error Unhandled with the error payload', async () => {
    const answer = await client().send(new InvokeCommand({ FunctionName: 'fails' }));
    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(answer.Payload))).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range on purpose', trace: expect.any(Array) });
  });

  it('accepts Event invocations with 202 and runs them through the asynchronous path; DryRun answers 204 and runs nothing', async () => {
    const before = done.length;
    const event = await client().send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: JSON.stringify({ async: true }) }));
    expect(event.StatusCode).toBe(202);
    await lambda.drain();
    expect(done.slice(before).map((run) => run.payload)).toEqual([{ async: true }]);
    const dry = await client().send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    expect(done.length).toBe(before + 1);
  });

  it('names the function by name, ARN, partial ARN, with a version or an alias as qualifier', async () => {
    const cases: Array<[string, string | undefined, string]> = [
      [echo.arn, undefined, '$LATEST'],
      ['000000000000:function:echo', undefined, '$LATEST'],
      ['echo', '$LATEST', '$LATEST'],
      ['echo', '1', '1'],
      ['echo:live', undefined, '1'],
      [`${echo.arn}:live`, 'live', '1'],
    ];
    for (const [name, qualifier, version] of cases) {
      const answer = await client().send(new InvokeCommand({ FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) }));
      expect(answer.ExecutedVersion, name).toBe(version);
      // The context says which version runs and the ARN as the caller named it.
      expect(JSON.parse(text(answer.Payload)), name).toMatchObject({ version, arn: qualifier === undefined && !name.endsWith(':live') ? echo.arn : `${echo.arn}:${qualifier ?? 'live'}` });
    }
    expect(decisions.at(-1)?.resourceArn).toBe(`${echo.arn}:live`);
  });

  it('refuses what Lambda refuses, with its error shapes', async () => {
    const refusal = async (input: ConstructorParameters<typeof InvokeCommand>[0]): Promise<{ name: string; message: string; status: number | undefined }> => {
      const error = await client().send(new InvokeCommand(input)).then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
      if (!error) throw new Error(`${JSON.stringify(input)} was not refused`);
      return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
    };
    expect(await refusal({ FunctionName: 'nope' })).toEqual({ name: 'ResourceNotFoundException', message: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope`, status: 404 });
    expect(await refusal({ FunctionName: 'echo', Qualifier: '7' })).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${echo.arn}:7` });
    expect(await refusal({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:echo' })).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await refusal({ FunctionName: 'echo:live', Qualifier: '1' })).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(await refusal({ FunctionName: 'not a name' })).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await refusal({ FunctionName: 'echo', Payload: '{"a":' })).toMatchObject({ name: 'InvalidRequestContentException', status: 400 });
    expect(await refusal({ FunctionName: 'echo', Payload: 'x'.repeat(6 * 1024 * 1024 + 1) })).toEqual({ name: 'RequestTooLargeException', message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation', status: 413 });
    expect(await refusal({ FunctionName: 'echo', InvocationType: 'Event', Payload: `"${'x'.repeat(1024 * 1024)}"` })).toMatchObject({ name: 'RequestTooLargeException', status: 413 });
    // IAM decides before Lambda says whether the function exists.
    expect(await refusal({ FunctionName: 'echo:forbidden' })).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });

  it('answers errors with x-amzn-errortype and a JSON body with Type and message', async () => {
    const response = await fetch(`${listener.url}/2015-03-31/functions/nope/invocations`, {
      method: 'POST', body: '{}', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDOUTSIDE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toEqual({ Type: 'User', message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope' });
    const unsigned = await fetch(`${listener.url}/2015-03-31/functions/echo/invocations`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('GetFunction, GetFunctionConfiguration, ListFunctions', () => {
  it('describes a function as Lambda does, for $LATEST, a version and an alias', async () => {
    const { Configuration, Code } = await client().send(new GetFunctionCommand({ FunctionName: 'echo' }));
    expect(Configuration).toMatchObject({
      FunctionName: 'echo', FunctionArn: echo.arn, Runtime: 'nodejs22.x', Role: echo.roleArn, Handler: 'index.handler', Timeout: 5, MemorySize: 128,
      Version: '$LATEST', TracingConfig: { Mode: 'Active' }, State: 'Active', LastUpdateStatus: 'Successful', PackageType: 'Zip',
      CodeSize: Buffer.byteLength(ECHO), LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/echo' },
    });
    expect(Configuration?.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(Configuration?.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Code?.RepositoryType).toBe('S3');
    const version = await client().send(new GetFunctionConfigurationCommand({ FunctionName: 'echo', Qualifier: '1' }));
    expect(version).toMatchObject({ FunctionArn: `${echo.arn}:1`, Version: '1', Description: 'first' });
    const alias = await client().send(new GetFunctionConfigurationCommand({ FunctionName: 'echo:live' }));
    expect(alias).toMatchObject({ FunctionArn: `${echo.arn}:live`, Version: '1' });
    const versions = await client().send(new ListVersionsByFunctionCommand({ FunctionName: 'echo' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    const aliases = await client().send(new ListAliasesCommand({ FunctionName: 'echo' }));
    expect(aliases.Aliases).toEqual([{ AliasArn: `${echo.arn}:live`, Name: 'live', FunctionVersion: '1', Description: '', RevisionId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    expect(await client().send(new GetAliasCommand({ FunctionName: 'echo', Name: 'live' }))).toMatchObject({ AliasArn: `${echo.arn}:live`, FunctionVersion: '1' });
    const missing = await client().send(new GetAliasCommand({ FunctionName: 'echo', Name: 'gone' })).catch((e: Error) => e);
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: `Cannot find alias arn: ${echo.arn}:gone` });
  });

  it('lists functions a page at a time with Marker and MaxItems, and versions with FunctionVersion ALL', async () => {
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await client().send(new ListFunctionsCommand({ MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
      names.push(...(page.Functions ?? []).map((fn) => fn.FunctionName ?? ''));
      marker = page.NextMarker;
      pages += 1;
    } while (marker !== undefined);
    expect(names).toEqual(['chatty', 'echo', 'fails']);
    expect(pages).toBe(2);
    const all = await client().send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    expect(all.Functions?.map((fn) => `${fn.FunctionName}:${fn.Version}`)).toEqual(['chatty:$LATEST', 'echo:$LATEST', 'echo:1', 'fails:$LATEST']);
    const bad = await client().send(new ListFunctionsCommand({ Marker: 'garbage' })).catch((e: Error) => e);
    expect((bad as Error).name).toBe('InvalidParameterValueException');
  });
});

const cli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
describe.skipIf(cli.error !== undefined || cli.status !== 0)('the AWS CLI', () => {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'any', AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_DEFAULT_OUTPUT: 'json', AWS_PAGER: '',
  };
  it('invokes with aws lambda invoke and lists with aws lambda list-functions', async () => {
    const out = join(ROOT, 'cli-out.json');
    const invoked = await runProcess('aws', ['lambda', 'invoke', '--endpoint-url', listener.url, '--function-name', 'echo', '--payload', '{"from":"cli"}', '--log-type', 'Tail', out], { env, deadlineMs: 30_000, failAfterDeadline: 'aws lambda invoke' });
    expect(invoked.stderr).toBe('');
    const answer = JSON.parse(invoked.stdout) as { StatusCode: number; ExecutedVersion: string; LogResult: string };
    expect(answer).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(Buffer.from(answer.LogResult, 'base64').toString('utf8')).toContain('echoing {"from":"cli"}');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ event: { from: 'cli' } });
    const listed = await runProcess('aws', ['lambda', 'list-functions', '--endpoint-url', listener.url], { env, deadlineMs: 30_000, failAfterDeadline: 'aws lambda list-functions' });
    expect((JSON.parse(listed.stdout) as { Functions: Array<{ FunctionName: string }> }).Functions.map((fn) => fn.FunctionName)).toEqual(['chatty', 'echo', 'fails']);
    const missing = await runProcess('aws', ['lambda', 'get-function', '--endpoint-url', listener.url, '--function-name', 'nope'], { env, deadlineMs: 30_000 });
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain('An error occurred (ResourceNotFoundException) when calling the GetFunction operation: Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
  });
});
