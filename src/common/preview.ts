/**
 * Bounded renderings of untrusted values for messages and logs. A request can carry a string of
 * megabytes or an array nested fifty thousand levels deep: `String(value)` and `JSON.stringify`
 * would copy the one whole and overflow the stack on the other. These never recurse deeper than
 * PREVIEW_DEPTH nor produce much more than they are asked for. A leaf module: xray and cloud both use it.
 */

/** Containers below this depth show as `[...]` or `{...}`. */
export const PREVIEW_DEPTH = 3;

/**
 * `text` itself when it fits in `maxChars`; otherwise its start and end (where what was wrong is
 * usually said) around a note of how much was left out.
 */
export function clipText(text: string, maxChars = 120): string {
  if (text.length <= maxChars) return text;
  const head = Math.max(1, Math.floor(maxChars * 0.6));
  const tail = Math.max(1, Math.floor(maxChars * 0.3));
  return `${text.slice(0, head)}...[${text.length - head - tail} characters left out]...${text.slice(-tail)}`;
}

/**
 * A short JSON-like rendering of any value: strings quoted, containers to PREVIEW_DEPTH levels and
 * about `maxChars` characters, then clipped to keep its start and end. Never throws.
 */
export function preview(value: unknown, maxChars = 120): string {
  const budget = { left: maxChars * 2 };
  let text: string;
  try {
    text = render(value, 0, budget);
  } catch {
    // A getter or proxy that throws: say what it is rather than fail the message.
    text = `<${typeof value}>`;
  }
  return clipText(text, maxChars);
}

/**
 * The text of an error of any kind (a thrown string, null, an object without `message`), for
 * logs and start-up messages; never "undefined" and never throws.
 */
export function errorText(error: unknown, maxChars = 2000): string {
  try {
    if (error instanceof Error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message = error.message === '' ? error.name : error.message;
      return clipText(code !== undefined && !message.includes(String(code)) ? `${message} (${String(code)})` : message, maxChars);
    }
    if (typeof error === 'object' && error !== null) {
      const { message, code } = error as { message?: unknown; code?: unknown };
      if (typeof message === 'string' && message !== '') return clipText(typeof code === 'string' ? `${message} (${code})` : message, maxChars);
      if (typeof code === 'string') return `error code ${clipText(code, 100)}`;
    }
    return `a thrown ${preview(error, Math.min(maxChars, 200))}`;
  } catch {
    return 'an error that cannot be shown';
  }
}

function render(value: unknown, depth: number, budget: { left: number }): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(clipText(value, Math.max(16, budget.left)));
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
    case 'symbol':
      return String(value);
    case 'function':
      return '<function>';
  }
  if (value === null) return 'null';
  const isArray = Array.isArray(value);
  if (depth >= PREVIEW_DEPTH) return isArray ? '[...]' : '{...}';
  const parts: string[] = [];
  const open = isArray ? '[' : '{';
  const close = isArray ? ']' : '}';
  budget.left -= 2;
  if (isArray) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      if (budget.left <= 0) {
        parts.push(`...${items.length - i} more`);
        break;
      }
      const part = render(items[i], depth + 1, budget);
      budget.left -= part.length + 1;
      parts.push(part);
    }
  } else {
    // for...in stops at the budget without listing every key of a huge object first.
    for (const key in value as object) {
      if (!Object.hasOwn(value as object, key)) continue;
      if (budget.left <= 0) {
        parts.push('...');
        break;
      }
      const part = `${JSON.stringify(clipText(key, 40))}:${render((value as Record<string, unknown>)[key], depth + 1, budget)}`;
      budget.left -= part.length + 1;
      parts.push(part);
    }
  }
  return `${open}${parts.join(',')}${close}`;
}
