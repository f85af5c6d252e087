/**
 * X-Ray's sampling-rule wildcard match: `*` any run of characters (none included), `?` exactly one,
 * everything else literal, letters compared without case (as the X-Ray SDKs compare them).
 * Linear backtracking to the last `*` instead of a regular expression: it runs on every request.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    const char = p[pi];
    if (char === '*') {
      star = pi;
      resume = ti;
      pi += 1;
    } else if (char !== undefined && (char === '?' || char === t[ti])) {
      pi += 1;
      ti += 1;
    } else if (star >= 0) {
      // Let the last `*` take one more character and try the rest of the pattern again.
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}
