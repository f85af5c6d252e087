/**
 * The `wildcard` operator's strings: `*` matches any run of characters (none included), `\*` is a
 * literal star and `\\` a literal backslash. As EventBridge, two wildcards in a row and any other
 * escape are refused.
 */

/** The anchored regular expression of a wildcard string, or the reason it is refused. */
export function compileWildcard(text: string): RegExp | string {
  let source = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (char === '*') {
      if (text[i + 1] === '*') return `Consecutive wildcard characters at pos ${i + 1}`;
      source += '[\\s\\S]*';
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') return `Invalid escape character at pos ${i}`;
      source += escapeRegex(next);
      i += 1;
    } else {
      source += escapeRegex(char);
    }
  }
  return new RegExp(`^${source}$`, 'u');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
