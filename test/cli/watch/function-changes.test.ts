import { describe, expect, it } from 'vitest';
import { describeFunctionChanges } from '../../../src/cli/watch/function-changes.ts';

const HTTP = 'TheHttpFlowStack-HttpLambdaFunctionBDEC11D6-0U7JB89DUS3M';
const DYNAMO = 'TheDynamoFlowStack-DynamoLambdaFunction3A1B2C4D-1ABCDEFGHIJK';
const SQS = 'TheSqsFlowStack-SqsPublishLambdaFunction0A1B2C3D-2ABCDEFGHIJK';

describe('describeFunctionChanges', () => {
  it('names the functions whose bundle changed, by their short names', () => {
    const before = new Map([[HTTP, '/out/asset.aaa'], [DYNAMO, '/out/asset.bbb']]);
    const after = new Map([[HTTP, '/out/asset.ccc'], [DYNAMO, '/out/asset.bbb']]);
    expect(describeFunctionChanges(before, after)).toBe('new code for HttpLambda');
  });

  it('names added and removed functions', () => {
    const before = new Map([[HTTP, '/out/asset.aaa'], [DYNAMO, '/out/asset.bbb']]);
    const after = new Map([[HTTP, '/out/asset.ddd'], [SQS, '/out/asset.eee']]);
    expect(describeFunctionChanges(before, after)).toBe('new code for HttpLambda; added SqsPublishLambda; removed DynamoLambda');
  });

  it('says so when only the templates changed', () => {
    const code = new Map([[HTTP, '/out/asset.aaa']]);
    expect(describeFunctionChanges(code, new Map(code))).toBe("the templates changed, no function's code did");
  });
});
