import { describe, expect, it } from 'vitest';
import { xmlToJson } from '../../../src/cloud/protocol/query-protocol.ts';

describe('xmlToJson (Query answers as JSON, as API Gateway asks for them)', () => {
  it.each([
    ['<MessageId>m-1</MessageId>', { MessageId: 'm-1' }],
    ['<Topics><member><TopicArn>a&amp;b</TopicArn></member><member><TopicArn>c</TopicArn></member></Topics><NextToken></NextToken>', { Topics: [{ TopicArn: 'a&b' }, { TopicArn: 'c' }], NextToken: '' }],
    ['<Attributes><entry><key>k</key><value>v</value></entry></Attributes>', { Attributes: [{ key: 'k', value: 'v' }] }],
  ])('%s', (xml, expected) => {
    expect(xmlToJson(xml)).toEqual(expected);
  });
});
