/**
 * Typed reads of a decoded request (JSON 1.0 or RPC v2 CBOR: the same members, timestamps as
 * epoch seconds in JSON and as CBOR tag 1 in CBOR), each failure naming the member's path.
 */
import { cloudWatchErrors } from './cloudwatch-errors.ts';

export class WireInput {
  constructor(readonly data: Readonly<Record<string, unknown>>, readonly path = '') {}

  static of(value: unknown, path: string): WireInput {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw cloudWatchErrors.invalidParameterValue(`${path} must be a structure.`);
    return new WireInput(value as Record<string, unknown>, `${path}.`);
  }

  private raw(name: string): unknown {
    const value = this.data[name];
    return value === null ? undefined : value;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw cloudWatchErrors.missingParameter(this.path + name);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw cloudWatchErrors.invalidParameterValue(`${this.path}${name} must be a string.`);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number') throw cloudWatchErrors.invalidParameterValue(`${this.path}${name} must be a number.`);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw cloudWatchErrors.invalidParameterValue(`${this.path}${name} must be a boolean.`);
    return value;
  }

  /** Epoch milliseconds from epoch seconds (JSON), a CBOR tag 1, or an ISO 8601 string. */
  optionalTimestampMs(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
    if (typeof value === 'object' && (value as { tag?: unknown }).tag === 1) {
      const seconds = (value as { value?: unknown }).value;
      if (typeof seconds === 'number' && Number.isFinite(seconds)) return seconds * 1000;
    }
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
    throw cloudWatchErrors.invalidParameterValue(`${this.path}${name} must be a timestamp.`);
  }

  timestampMs(name: string): number {
    const value = this.optionalTimestampMs(name);
    if (value === undefined) throw cloudWatchErrors.missingParameter(this.path + name);
    return value;
  }

  optionalList(name: string): unknown[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw cloudWatchErrors.invalidParameterValue(`${this.path}${name} must be a list.`);
    return value;
  }

  optionalStructure(name: string): WireInput | undefined {
    const value = this.raw(name);
    return value === undefined ? undefined : WireInput.of(value, this.path + name);
  }
}
