import { describe, expect, it } from 'vitest';
import { withoutProgress } from '../../src/cli/synthesize.ts';

describe('withoutProgress', () => {
  it('leaves out CDK\'s bundling progress and keeps the error', () => {
    const log = [
      'Bundling asset TheDynamoFlowStack/DynamoLambda/Function/Code/Stage...',
      'Bundling asset TheSnsFlowStack/SnsSubscribeLambda/Function/Code/Stage...',
      '✘ [ERROR] Unexpected ";"',
      '    src/pattern/lambdas/sns-subscribe.ts:44:22:',
      'Bundling asset failed for TheSnsFlowStack/SnsSubscribeLambda',
    ].join('\n');
    expect(withoutProgress(log)).toBe([
      '✘ [ERROR] Unexpected ";"',
      '    src/pattern/lambdas/sns-subscribe.ts:44:22:',
      'Bundling asset failed for TheSnsFlowStack/SnsSubscribeLambda',
    ].join('\n'));
  });
});
