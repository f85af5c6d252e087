/**
 * The managed runtime's AWS SDK: a handler in an assembly with no node_modules above it (a copy in
 * the temporary folder) still gets @aws-sdk/* from the local cloud, as from /var/runtime/node_modules
 * on Lambda, in CommonJS (`require`) and ES module (`import`) handlers; the project's other
 * dependencies, which Lambda does not provide, stay out of reach.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaService } from '../../../src/cloud/lambda/service.ts';
import { runtimeModulesDirectory } from '../../../src/cloud/lambda/runtime-modules.ts';
import { capturingLogger, functionConfig, writeBundle } from './support.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'lambda-runtime-'));
const ESM = `import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
export const handler = async (event) => {
  let other;
  try { await import('aws-xray-sdk-core'); other = 'found'; } catch (error) { other = error.code; }
  return { client: typeof DynamoDBClient, command: typeof ListTablesCommand, other, nodePath: process.env.NODE_PATH };
};`;
const CJS = `const { SQSClient } = require('@aws-sdk/client-sqs');
exports.handler = async () => {
  let other;
  try { require('aws-xray-sdk-core'); other = 'found'; } catch (error) { other = error.code; }
  return { client: typeof SQSClient, other };
};`;

let lambda: LambdaService;
beforeAll(async () => {
  lambda = new LambdaService({
    functions: [
      functionConfig('esm', writeBundle(ROOT, 'esm', ESM)),
      functionConfig('cjs', writeBundle(ROOT, 'cjs', CJS, 'index.js')),
    ],
    endpointUrl: 'http://127.0.0.1:9',
    daemonAddress: '127.0.0.1:9',
    segmentSink: { send: () => undefined },
    logger: capturingLogger().logger,
  });
  await lambda.start();
});
afterAll(async () => {
  await lambda.stop();
  rmSync(ROOT, { recursive: true, force: true });
});

describe('the runtime\'s AWS SDK', () => {
  it('is imported by an ES module handler whose assembly has no node_modules, and nothing else of the project is', async () => {
    const result = await lambda.invoke({ functionName: 'esm', payload: {}, invocationType: 'RequestResponse' });
    expect(result.functionError, JSON.stringify(result.payload)).toBeUndefined();
    expect(result.payload).toMatchObject({ client: 'function', command: 'function', other: 'ERR_MODULE_NOT_FOUND' });
    expect((result.payload as { nodePath: string }).nodePath).toBe(`${runtimeModulesDirectory()}:${join(ROOT, 'esm')}`);
  });

  it('is required by a CommonJS handler the same way', async () => {
    const result = await lambda.invoke({ functionName: 'cjs', payload: {}, invocationType: 'RequestResponse' });
    expect(result.functionError, JSON.stringify(result.payload)).toBeUndefined();
    expect(result.payload).toEqual({ client: 'function', other: 'MODULE_NOT_FOUND' });
  });
});
