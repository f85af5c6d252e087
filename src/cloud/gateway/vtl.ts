import { Compile, parse } from 'velocityjs';

/**
 * Renders API Gateway mapping templates. Behind this interface sits velocityjs, a Velocity engine; it
 * covers the VTL syntax (#set, #if, #foreach, $foreach.hasNext, macros, Java-style map and list
 * methods such as keySet/get/size) with the semantics API Gateway configures: a reference that is
 * null or undefined renders as nothing rather than as its source text.
 */
export interface TemplateEngine {
  /** Throws TemplateError for a template that does not parse or fails while rendering. */
  render(template: string, variables: Readonly<Record<string, unknown>>): string;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

type MethodPayload = { property: string; context: unknown; params: unknown[] };

// Templates written for API Gateway call java.lang.String methods that JavaScript strings lack or
// treat differently; these are answered as Java would.
const STRING_METHODS: Readonly<Record<string, (text: string, params: unknown[]) => unknown>> = {
  length: (text) => text.length,
  isEmpty: (text) => text.length === 0,
  equals: (text, [other]) => text === other,
  equalsIgnoreCase: (text, [other]) => typeof other === 'string' && text.toLowerCase() === other.toLowerCase(),
  contains: (text, [part]) => text.includes(String(part)),
  matches: (text, [pattern]) => new RegExp(`^(?:${String(pattern)})$`, 'u').test(text),
  replace: (text, [target, replacement]) => text.split(String(target)).join(String(replacement)),
  replaceAll: (text, [pattern, replacement]) =>
    text.replace(new RegExp(String(pattern), 'gu'), javaReplacement(String(replacement))),
  charAt: (text, [index]) => text.charAt(Number(index)),
};

// Java writes group references as $1; JavaScript as $1 too, but a literal $ is \$ in Java and $$ here.
function javaReplacement(replacement: string): string {
  return replacement.replace(/\\\$/g, '$$$$');
}

const customMethodHandlers = [
  {
    uid: 'java-string',
    match: ({ property, context }: MethodPayload) => typeof context === 'string' && Object.hasOwn(STRING_METHODS, property),
    resolve: ({ property, context, params }: MethodPayload) => STRING_METHODS[property]?.(context as string, params),
  },
];

/** A Velocity engine that keeps the parsed form of the templates it has seen (a stage has few). */
export class VelocityEngine implements TemplateEngine {
  private readonly parsed = new Map<string, ReturnType<typeof parse>>();

  render(template: string, variables: Readonly<Record<string, unknown>>): string {
    const ast = this.parseCached(template);
    try {
      // The third argument turns on quiet references: $missing renders as '' as in API Gateway.
      return new Compile(ast, { customMethodHandlers }).render({ ...variables }, undefined, true);
    } catch (error) {
      throw new TemplateError(`mapping template failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private parseCached(template: string): ReturnType<typeof parse> {
    let ast = this.parsed.get(template);
    if (ast === undefined) {
      try {
        ast = parse(template);
      } catch (error) {
        throw new TemplateError(`mapping template does not parse: ${(error as Error).message}`);
      }
      if (this.parsed.size >= 256) this.parsed.clear();
      this.parsed.set(template, ast);
    }
    return ast;
  }
}
