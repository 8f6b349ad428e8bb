/**
 * Control characters (C0, DEL, C1: ESC and CSI start terminal sequences), line separators and
 * bidirectional overrides, written as \xNN or \uNNNN: text from a file cannot clear the screen,
 * retitle the terminal or spoof other lines when printed.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
