/**
 * Trace data is untrusted: a name or annotation could carry escape sequences that move the cursor,
 * rewrite the screen or reorder text. Control characters (C0, DEL, C1), line and paragraph
 * separators and bidirectional controls are replaced by a visible `\xNN` / `\u{NNNN}` form.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
