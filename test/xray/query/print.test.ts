import { describe, expect, test } from 'vitest';
import { parse, print } from '../../../src/xray/query/index.ts';
import { quote } from '../../../src/xray/query/print.ts';
import { VALID } from './cases.ts';

describe('print', () => {
  test.each(VALID.map((c) => [c.filter] as const))('round trip: %s', (filter) => {
    const tree = parse(filter);
    const printed = print(tree);
    expect(parse(printed)).toEqual(tree);
    expect(print(parse(printed))).toBe(printed);
  });

  test.each([
    ['ok !partial duration <3', 'ok AND !partial AND duration < 3'],
    ['OK = FALSE or Fault != True', 'ok = false OR fault = false'],
    ['responseTime>2 and http.url contains "/v2/"', 'responsetime > 2 AND http.url CONTAINS "/v2/"'],
    ['(ok OR fault) error', '(ok OR fault) AND error'],
    ['!(responsetime > 5)', '!(responsetime > 5)'],
    ['NOT (ok AND fault)', '!(ok AND fault)'],
    ['service(id(name: "a"))', 'service("a")'],
    ['service(id(type:"AWS::Lambda", name:"f")){fault}', 'service(id(name: "f", type: "AWS::Lambda")) { fault }'],
    ['edge("a","b"){responsetime>=1e21}', 'edge("a", "b") { responsetime >= 1e+21 }'],
    ['rootcause.Fault.Exception{LAST and message = "x"}', 'rootcause.fault.exception { last AND message = "x" }'],
    ['annotation.n = -0.0', 'annotation.n = 0'],
    ['group.name="g"', 'group.name = "g"'],
  ])('canonical form of %s', (text, canonical) => {
    expect(print(parse(text))).toBe(canonical);
  });

  test('strings come back with their escapes', () => {
    expect(quote('say "hi" to C:\\tmp\\\n\t\r\u0000\u007f é 🚀')).toBe('"say \\"hi\\" to C:\\\\tmp\\\\\\n\\t\\r\\u0000\\u007f é 🚀"');
    const tree = parse('user = "say \\"hi\\" \\u0000 \\\\"');
    expect(parse(print(tree))).toEqual(tree);
  });
});
