/**
 * The Lambda proxy phase of `npm run bench:gateway`: a tiny CDK app (a LambdaRestApi in front of
 * one traced Node.js function answering `{statusCode: 200}`) synthesized into a temporary folder
 * and run on its own local cloud, sending its segments to the same X-Ray service. A request is
 * timed from sending it to its answer, which comes after the function has run: API Gateway ->
 * Lambda service -> execution environment -> the handler and back, end to end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { LambdaRestApi } from 'aws-cdk-lib/aws-apigateway';
import { Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { startLocalCloud } from '../src/cloud/index.ts';
import type { LocalCloud } from '../src/cloud/index.ts';

const HANDLER = "exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: event.path }) });\n";

/** Synthesizes the app under `root` and starts it; the caller stops the cloud. */
export async function startLambdaProxyCloud(root: string, daemonAddress: string, onError: (line: string) => void): Promise<{ cloud: LocalCloud; stageUrl: string }> {
  const code = path.join(root, 'handler');
  mkdirSync(code, { recursive: true });
  writeFileSync(path.join(code, 'index.js'), HANDLER);
  const assemblyDir = path.join(root, 'cdk.out');
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'BenchProxy');
  const handler = new LambdaFunction(stack, 'Handler', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(code), tracing: Tracing.ACTIVE });
  new LambdaRestApi(stack, 'Api', { handler, restApiName: 'Bench Proxy', cloudWatchRole: false, deployOptions: { stageName: 'prod', tracingEnabled: true } });
  app.synth();
  const cloud = await startLocalCloud({
    assemblyDir,
    dataDir: path.join(root, 'cloud'),
    daemonAddress,
    gatewayPort: 0,
    endpointPort: 0,
    logger: { info: () => {}, warn: () => {}, error: onError },
  });
  return { cloud, stageUrl: (cloud.stageUrls[0] ?? '').replace(/\/$/, '') };
}
