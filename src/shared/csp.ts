/**
 * The screen's Content-Security-Policy: nothing remote, no inline scripts or styles, no eval
 * (React and recharts set styles through the CSSOM, which style-src does not govern). Sent as a
 * header by the web server; index.html carries the same policy as a meta tag for the Electron
 * window, and a test keeps the two equal.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
