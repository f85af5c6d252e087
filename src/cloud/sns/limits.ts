/**
 * SNS's documented limits on a published message: 256 KB (262,144 bytes) for the message and its
 * attributes together (each attribute's name, data type and value count), and the rules for an
 * attribute's name and data type. SNS accepts more than 10 attributes (only raw delivery to SQS
 * cannot carry them), so the size is what bounds their number.
 */
import { AwsError } from '../protocol/errors.ts';
import { snsErrors } from './errors.ts';

export const MAX_PUBLISH_BYTES = 262_144;
const MAX_ATTRIBUTE_NAME_CHARS = 256;
const MAX_DATA_TYPE_BYTES = 256;

export function messageTooLong(): AwsError {
  return snsErrors.invalidParameter(`Message too long: the message and its attributes are over ${MAX_PUBLISH_BYTES} bytes`);
}

/** What an attribute adds to the message's size: its name, data type and value in bytes (a binary value decoded). */
export function attributeBytes(name: string, type: string, value: string): number {
  const valueBytes = type.startsWith('Binary') ? Buffer.byteLength(value, 'base64') : Buffer.byteLength(value, 'utf8');
  return Buffer.byteLength(name, 'utf8') + Buffer.byteLength(type, 'utf8') + valueBytes;
}

/** SNS's checks of an attribute name, with SNS's messages (InvalidParameterValue). */
export function checkAttributeName(name: string): void {
  if (name.length > MAX_ATTRIBUTE_NAME_CHARS) {
    throw invalidParameterValue(`Message attribute name can be at most ${MAX_ATTRIBUTE_NAME_CHARS} characters long, got ${name.length}.`);
  }
  if (name.startsWith('.')) throw invalidParameterValue("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw invalidParameterValue("Invalid message attribute name ending with character '.' was found.");
  const bad = /[^A-Za-z0-9_.-]/u.exec(name);
  if (bad) {
    const hex = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase();
    throw invalidParameterValue(
      `Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  if (name.includes('..')) throw invalidParameterValue("Message attribute name can not have successive '.' character.");
}

/** SNS's checks of an attribute's data type: String, Number or Binary, optionally with a custom `.suffix`. */
export function checkAttributeType(name: string, type: string): void {
  if (Buffer.byteLength(type, 'utf8') > MAX_DATA_TYPE_BYTES) {
    throw invalidParameterValue(`The message attribute '${name}' has a data type over ${MAX_DATA_TYPE_BYTES} bytes.`);
  }
  if (!/^(String|Number|Binary)(\.|$)/.test(type)) {
    throw invalidParameterValue(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
}

/**
 * SNS's InvalidParameterValue. Its own code, so that SnsApi's renaming of the shared
 * InvalidParameterValue (to InvalidParameter) leaves it as SNS sends it.
 */
function invalidParameterValue(message: string): AwsError {
  return new AwsError('SnsInvalidParameterValue', message, { queryCode: 'InvalidParameterValue' });
}
