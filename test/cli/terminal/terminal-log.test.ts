import { describe, expect, test } from 'vitest';
import { conciseFunctionLine, shortFunctionName, terminalLogger } from '../../../src/cli/terminal/terminal-log.ts';

const NAME = 'TheHttpFlowStack-HttpLambdaFunctionBDEC11D6-0U7JB89DUS3M';
const TRACE = '1-6b06c729-1481fcdbe7fe37e26089dac4';
const line = (text: string): string => `[${NAME} ${TRACE}] ${text}`;

describe('the terminal view of function log lines', () => {
  test('function names shortened to the construct name, other names kept', () => {
    expect(shortFunctionName(NAME)).toBe('HttpLambda');
    expect(shortFunctionName('my-function')).toBe('my-function');
  });

  test('START and END lines, metrics and the SDK version notice are left out', () => {
    expect(conciseFunctionLine(line('START RequestId: bd43 Version: $LATEST'))).toBeUndefined();
    expect(conciseFunctionLine(line('END RequestId: bd43'))).toBeUndefined();
    expect(conciseFunctionLine(line('{"_aws":{"Timestamp":1},"hits":1}'))).toBeUndefined();
    expect(conciseFunctionLine(line('(node:1) Warning: NodeVersionSupportWarning: ...'))).toBeUndefined();
  });

  test('REPORT lines become the duration, with the cold start and a timeout', () => {
    expect(conciseFunctionLine(line('REPORT RequestId: bd43\tDuration: 76.76 ms\tBilled Duration: 77 ms\tInit Duration: 1365.89 ms'))).toBe(
      'HttpLambda 6089dac4 done in 76.76 ms (cold start 1365.89 ms)',
    );
    expect(conciseFunctionLine(line('REPORT RequestId: bd43\tDuration: 3000.10 ms\tBilled Duration: 3001 ms\tStatus: timeout'))).toBe(
      'HttpLambda 6089dac4 done in 3000.10 ms, timed out',
    );
  });

  test('the runtime\'s Invoke Error line shows the error type and message', () => {
    const text = '2024-01-01T00:00:00.000Z\tbd43\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"SSL Cert Exception","stack":["Error: SSL Cert Exception","    at x (file:///a.mjs:1:2)"]}';
    expect(conciseFunctionLine(line(text))).toBe('HttpLambda 6089dac4 ERROR Invoke Error Error: SSL Cert Exception');
  });

  test('structured records show level and message; other text and non-function lines as written', () => {
    expect(conciseFunctionLine(line('{"level":"WARN","message":"slow","service":"x"}'))).toBe('HttpLambda 6089dac4 WARN slow');
    expect(conciseFunctionLine(line('{not json'))).toBe('HttpLambda 6089dac4 {not json');
    expect(conciseFunctionLine(`[${NAME} -] plain`)).toBe('HttpLambda - plain');
    expect(conciseFunctionLine('api gateway: GET /prod/a -> 200')).toBe('api gateway: GET /prod/a -> 200');
  });

  test('the logger routes info to out, warnings and errors to err, dropping hidden lines', () => {
    const out: string[] = [];
    const err: string[] = [];
    const logger = terminalLogger({ out: (l) => out.push(l), err: (l) => err.push(l) });
    logger.info(line('END RequestId: x'));
    logger.info(line('hello'));
    logger.warn(line('careful'));
    logger.error('broken');
    expect(out).toEqual(['HttpLambda 6089dac4 hello']);
    expect(err).toEqual(['HttpLambda 6089dac4 careful', 'broken']);
  });
});
