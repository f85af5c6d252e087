/**
 * Drafts one hostile HTTP request around a valid JSON body, in the issue's classes: the fuzz
 * suites' malformed bodies, deep nesting and extreme numbers in any member, huge counts, malformed
 * request heads, random bytes, wrong content types, bad UTF-8, hostile targets, huge declared
 * lengths and slow bodies.
 */
import { badJsonBody, jsonText, type BodyKind, type Fuzz, type FuzzValue } from '../../test/support/fuzz.ts';
import { withHostileMember } from '../../test/support/hostile-values.ts';
import { BAD_TARGETS, malformedRequest } from '../../test/support/raw-requests.ts';
import type { Delivery, InputClass } from './cases.ts';
import { WHOLE } from './cases.ts';
import type { HttpRequestSpec } from './http-bytes.ts';

/** A request to send: a spec (which a listener may still sign) or raw bytes, and how to deliver it. */
export interface Draft {
  readonly inputClass: InputClass;
  readonly label: string;
  readonly spec?: HttpRequestSpec;
  readonly raw?: Buffer;
  readonly delivery: Delivery;
}

/** Shares per 1,000 cases. Slow ones are few: each may take a server's own timeout to settle. */
export const CLASS_SHARES: ReadonlyArray<readonly [InputClass, number]> = [
  ['wrong-value', 250], ['deep-nesting', 160], ['extreme-number', 160], ['huge-count', 50], ['malformed-http', 120], ['random-bytes', 50],
  ['content-type', 50], ['bad-utf8', 50], ['hostile-target', 90], ['huge-length', 10], ['slow-body', 10],
];

export function pickShare<T>(fuzz: Fuzz, shares: ReadonlyArray<readonly [T, number]>): T {
  const total = shares.reduce((sum, [, share]) => sum + share, 0);
  let at = fuzz.int(total);
  for (const [item, share] of shares) {
    if (at < share) return item;
    at -= share;
  }
  throw new Error('pickShare: no shares');
}

export interface JsonRequestTarget {
  readonly host: string;
  readonly method?: string;
  readonly target: string;
  readonly contentType: string;
  /** Headers every request of this target carries (e.g. X-Amz-Target), before the content type. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly valid: FuzzValue;
  /** The valid body as sent, when it is not `valid` as JSON (a form). */
  readonly validBody?: string;
  /** The target's own huge counts (10K entries, 1K OR terms); by default a member set to 10K items. */
  readonly hugeCount?: (fuzz: Fuzz) => { label: string; body: string };
}

const BODY_KIND_CLASS: Readonly<Record<BodyKind, InputClass>> = {
  'not-json': 'wrong-value', 'not-object': 'wrong-value', missing: 'wrong-value', 'wrong-type': 'wrong-value', 'unknown-member': 'wrong-value',
  'invalid-utf8': 'bad-utf8', empty: 'wrong-value', deep: 'deep-nesting', 'content-type': 'content-type',
};

export function draftJsonCase(fuzz: Fuzz, to: JsonRequestTarget, inputClass: InputClass = pickShare(fuzz, CLASS_SHARES)): Draft {
  const method = to.method ?? 'POST';
  const validText = to.validBody ?? jsonText(to.valid);
  const spec = (body: Buffer | string, contentType: string = to.contentType, extra: Partial<HttpRequestSpec> = {}): HttpRequestSpec => ({
    method, target: to.target, host: to.host, headers: [...(to.headers ?? []), ...(contentType === '' ? [] : [['Content-Type', contentType] as const])], body, ...extra,
  });
  const fromBad = (kind?: BodyKind): Draft => {
    const bad = badJsonBody(fuzz, to.valid, kind);
    return { inputClass: BODY_KIND_CLASS[bad.kind], label: bad.label, spec: spec(bad.body, bad.contentType), delivery: WHOLE };
  };
  switch (inputClass) {
    case 'wrong-value':
      return fromBad();
    case 'content-type':
      return fromBad('content-type');
    case 'bad-utf8':
      return fromBad('invalid-utf8');
    case 'deep-nesting':
    case 'extreme-number': {
      const { value, label } = withHostileMember(fuzz, to.valid, inputClass);
      return { inputClass, label, spec: spec(jsonText(value)), delivery: WHOLE };
    }
    case 'huge-count': {
      if (to.hugeCount !== undefined && fuzz.chance(0.7)) {
        const { label, body } = to.hugeCount(fuzz);
        return { inputClass, label, spec: spec(body), delivery: WHOLE };
      }
      const { value, label } = withHostileMember(fuzz, to.valid, 'huge-count');
      return { inputClass, label, spec: spec(jsonText(value)), delivery: WHOLE };
    }
    case 'malformed-http': {
      const raw = malformedRequest(fuzz, to.host, to.target, Buffer.from(validText));
      return { inputClass, label: raw.label, raw: raw.bytes, delivery: raw.incomplete === true ? { kind: 'stall', withholdBytes: 0 } : WHOLE };
    }
    case 'random-bytes': {
      const bytes = fuzz.bytes(1 + fuzz.int(2000));
      return { inputClass, label: `${bytes.length} random bytes`, spec: spec(bytes), delivery: WHOLE };
    }
    case 'hostile-target': {
      const target = fuzz.chance(0.5) ? fuzz.pick(BAD_TARGETS) : `${to.target}${fuzz.pick(['/', '/..', '/%2e%2e/', '?%', '?a=%zz', `?${'x=1&'.repeat(5000)}`, '//', '%00', `;${'a'.repeat(3000)}`])}`;
      return { inputClass, label: `target ${JSON.stringify(target.slice(0, 30))}`, spec: { ...spec(validText), target }, delivery: WHOLE };
    }
    case 'huge-length': {
      const declared = fuzz.pick(['1000000000000', '4294967296', '2147483647', '1073741824', String(validText.length + 1 + fuzz.int(1000))]);
      return { inputClass, label: `Content-Length ${declared} with ${validText.length} bytes`, spec: spec(validText, to.contentType, { declaredLength: declared }), delivery: { kind: 'stall', withholdBytes: 0 } };
    }
    case 'slow-body': {
      if (fuzz.chance(0.5)) {
        const chunks = 4 + fuzz.int(5);
        const gapMs = 150 + fuzz.int(250);
        return { inputClass, label: `body trickled in ${chunks} pieces ${gapMs} ms apart`, spec: spec(validText), delivery: { kind: 'trickle', chunks, gapMs } };
      }
      // The head and part of the body, then nothing: a body that never completes.
      return { inputClass, label: 'body that never completes', spec: spec(validText), delivery: { kind: 'stall', withholdBytes: Math.max(1, Math.ceil(validText.length / 2)) } };
    }
    default:
      return fromBad();
  }
}
