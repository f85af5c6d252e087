// JSON Schema draft 4 as API Gateway's models use it (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html),
// with the error texts of the validator API Gateway runs.
import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../../src/cloud/gateway/json-schema.ts';

const models = new Map<string, Record<string, unknown>>([
  ['Item', { type: 'object', required: ['sku'], properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$' } } }],
]);

describe('JSON Schema draft 4', () => {
  it('reads exclusiveMinimum as draft 4 does (a boolean beside minimum) and integer as a type', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 0, exclusiveMinimum: true } } };
    expect(validateSchema(schema, { n: 1 }, { models })).toEqual([]);
    expect(validateSchema(schema, { n: 0 }, { models })).toEqual(['numeric instance is not strictly greater than the required minimum (minimum: 0, found: 0)']);
    expect(validateSchema(schema, { n: 1.5 }, { models })).toEqual(['instance type (number) does not match any allowed primitive type (allowed: ["integer"])']);
  });

  it('follows a $ref to another model of the API by its URL, and local pointers', () => {
    const schema = {
      type: 'object',
      definitions: { qty: { type: 'integer', maximum: 9 } },
      properties: {
        items: { type: 'array', minItems: 1, items: { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Item' } },
        qty: { $ref: '#/definitions/qty' },
      },
    };
    expect(validateSchema(schema, { items: [{ sku: 'ABC-1' }], qty: 3 }, { models })).toEqual([]);
    expect(validateSchema(schema, { items: [{ sku: 'abc' }, {}], qty: 10 }, { models })).toEqual([
      'ECMA 262 regex "^[A-Z]{3}-\\\\d+$" does not match input string "abc"',
      'object has missing required properties (["sku"])',
      'numeric instance is greater than the required maximum (maximum: 9, found: 10)',
    ]);
    expect(validateSchema(schema, { items: [] }, { models })).toEqual(['array is too short: must have at least 1 elements but instance has 0 elements']);
  });

  it('checks enum, anyOf and not', () => {
    expect(validateSchema({ enum: ['a', 'b'] }, 'c', { models })).toEqual(['instance value ("c") not found in enum (possible values: ["a","b"])']);
    expect(validateSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] }, 1, { models })).toEqual(['instance failed to match at least one required schema among 2']);
    expect(validateSchema({ not: { type: 'string' } }, 'x', { models })).toEqual(['instance matched a schema which it should not have']);
  });
});
