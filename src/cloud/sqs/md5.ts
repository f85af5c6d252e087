import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from './store.ts';

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * SQS's MD5OfMessageAttributes (and of system attributes): for each attribute in name order, the
 * name, the data type and the value each as a 4-byte big-endian length then the bytes, with a
 * transport byte (1 string/number, 2 binary) before the value. Undefined when there are none.
 */
export function md5OfAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name];
    if (!attribute) continue;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(attribute.dataType, 'utf8'));
    if (attribute.binaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      field(Buffer.from(attribute.binaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(attribute.stringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
