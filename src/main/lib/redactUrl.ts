/**
 * Passwords out of URLs before they reach a message or a log (MySQL, PostgreSQL, endpoints).
 * Works on text that does not parse as a URL too: a password with `/`, `#` or `@` breaks parsers.
 */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Splits `scheme://user:password@rest` at the LAST `@` (a password may hold `@`, `/`, `#`...), so
 * the password is everything between the first `:` after the scheme and that `@`. Not through
 * URL(): it must also work on text that does not parse.
 */
function splitUserInfo(text: string): { head: string; user: string; rest: string } | null {
  const head = SCHEME.exec(text)?.[0] ?? '';
  const afterScheme = text.slice(head.length);
  const at = afterScheme.lastIndexOf('@');
  if (at < 0) return null;
  const userInfo = afterScheme.slice(0, at);
  const colon = userInfo.indexOf(':');
  if (colon < 0) return null;
  return { head, user: userInfo.slice(0, colon), rest: afterScheme.slice(at + 1) };
}

/** True when the text carries a password (`user:password@`), however odd the password. */
export function urlHasPassword(text: string): boolean {
  return splitUserInfo(text) !== null;
}

/**
 * The URL with everything between the user and the last `@` replaced by `***`, for messages and
 * logs. Over-redacts rather than leaks: an `@` later in the URL moves the cut there.
 */
export function redactUrl(text: string): string {
  const parts = splitUserInfo(text);
  return parts ? `${parts.head}${parts.user}:***@${parts.rest}` : text;
}
